using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrdersLeanIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_courier_id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_customer_phone",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_dropoff",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_pickup",
                table: "orders");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_orders_courier_id",
                table: "orders",
                column: "courier_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_customer_phone",
                table: "orders",
                column: "customer_phone");

            migrationBuilder.CreateIndex(
                name: "ix_orders_dropoff",
                table: "orders",
                column: "dropoff")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_orders_pickup",
                table: "orders",
                column: "pickup")
                .Annotation("Npgsql:IndexMethod", "gist");
        }
    }
}
