using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BuyForMe : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "approved_cents",
                table: "orders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "courier_fee_cents",
                table: "orders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "price_cap_cents",
                table: "orders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "rated_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rating_comment",
                table: "orders",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<short>(
                name: "rating_stars",
                table: "orders",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "receipt_cents",
                table: "orders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "receipt_photo_ref",
                table: "orders",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "receipt_state",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "shopping_list",
                table: "orders",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_courier_id_delivered_at",
                table: "orders",
                columns: new[] { "courier_id", "delivered_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_courier_id_delivered_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "approved_cents",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "courier_fee_cents",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "price_cap_cents",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "rated_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "rating_comment",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "rating_stars",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "receipt_cents",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "receipt_photo_ref",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "receipt_state",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shopping_list",
                table: "orders");
        }
    }
}
