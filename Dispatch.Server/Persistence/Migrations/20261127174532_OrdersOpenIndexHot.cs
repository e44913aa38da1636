using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrdersOpenIndexHot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_zone_status",
                table: "orders");

            migrationBuilder.AlterTable(
                name: "orders")
                .Annotation("Npgsql:StorageParameter:fillfactor", 70);

            migrationBuilder.AddColumn<bool>(
                name: "is_open",
                table: "orders",
                type: "boolean",
                nullable: false,
                computedColumnSql: "status between 1 and 8",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_zone_created_at",
                table: "orders",
                columns: new[] { "zone", "created_at" },
                filter: "is_open");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_open_zone_created_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "is_open",
                table: "orders");

            migrationBuilder.AlterTable(
                name: "orders")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 70);

            migrationBuilder.CreateIndex(
                name: "ix_orders_zone_status",
                table: "orders",
                columns: new[] { "zone", "status" });
        }
    }
}
