using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutboxCheaperInsert : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_event_id",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_outbox_processed_at",
                table: "outbox");

            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox",
                type: "json",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "jsonb");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_processed_at",
                table: "outbox",
                column: "processed_at",
                filter: "processed_at is not null");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_processed_at",
                table: "outbox");

            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "json");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_event_id",
                table: "outbox",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_processed_at",
                table: "outbox",
                column: "processed_at");
        }
    }
}
