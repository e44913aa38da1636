using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveriesLeaner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The planner probed this index with a filter (a pass over every pending delivery) for each delivery queued or
            // ended, where ix_webhook_deliveries_pending_order finds an order's pending ones by key; it served only the
            // soonest-retry lookup, which the remaining pending-only index answers as well.
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_due",
                table: "webhook_deliveries");

            // Checked by a query and a row lock per queued delivery; the consumer locks the endpoints once per statement, and
            // deleting an endpoint deletes its deliveries (WebhookCoordinator.DeleteAsync).
            migrationBuilder.DropForeignKey(
                name: "fk_webhook_deliveries_webhook_endpoints_endpoint_id",
                table: "webhook_deliveries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_due",
                table: "webhook_deliveries",
                column: "next_attempt_at",
                filter: "state = 0");

            migrationBuilder.AddForeignKey(
                name: "fk_webhook_deliveries_webhook_endpoints_endpoint_id",
                table: "webhook_deliveries",
                column: "endpoint_id",
                principalTable: "webhook_endpoints",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
