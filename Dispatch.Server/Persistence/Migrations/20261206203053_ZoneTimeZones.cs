using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ZoneTimeZones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Null in both means Dispatch:EarningsTimeZone, read when used: the default follows the configuration, and no
            // ledger line is rewritten (the ledger refuses updates).
            migrationBuilder.AddColumn<string>(
                name: "time_zone",
                table: "zones",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "time_zone",
                table: "ledger_lines",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "time_zone",
                table: "zones");

            migrationBuilder.DropColumn(
                name: "time_zone",
                table: "ledger_lines");
        }
    }
}
