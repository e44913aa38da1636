using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookSecretRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "previous_secret_encrypted",
                table: "webhook_endpoints",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_secret_until",
                table: "webhook_endpoints",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_secret_encrypted",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "previous_secret_until",
                table: "webhook_endpoints");
        }
    }
}
