using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ZoneLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "zone_leases",
                columns: table => new
                {
                    zone = table.Column<string>(type: "character varying(31)", maxLength: 31, nullable: false),
                    holder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    token = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    acquired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_zone_leases", x => x.zone);
                });

            // A courier holds one pending offer at a time from now on: older duplicates expire (the newest stays), and the
            // recovery sweep offers their orders again.
            migrationBuilder.Sql(
                "update offers set status = 3, responded_at = now(), reason = 'expired when couriers came to hold one pending offer at a time' " +
                "where status = 0 and id not in (select distinct on (courier_id) id from offers where status = 0 order by courier_id, created_at desc)");

            migrationBuilder.CreateIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers",
                column: "courier_id",
                unique: true,
                filter: "status = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "zone_leases");

            migrationBuilder.DropIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers");
        }
    }
}
