using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrderListPaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_created_at",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_courier_id_created_at_id",
                table: "orders",
                columns: new[] { "courier_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_created_at_id",
                table: "orders",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_merchant_id_created_at_id",
                table: "orders",
                columns: new[] { "merchant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_zone_created_at_id",
                table: "orders",
                columns: new[] { "zone", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_courier_id_created_at_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_created_at_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_merchant_id_created_at_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_zone_created_at_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_created_at",
                table: "orders",
                column: "created_at");
        }
    }
}
