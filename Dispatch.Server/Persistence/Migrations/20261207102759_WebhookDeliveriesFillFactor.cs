using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveriesFillFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Room on each page for a delivery's lease taken after queuing to be a HOT update (no index entries); pages written
            // before keep their fill until rewritten.
            migrationBuilder.AlterTable(
                name: "webhook_deliveries")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "webhook_deliveries")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);
        }
    }
}
