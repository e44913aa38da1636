using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OfferBundles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers");

            migrationBuilder.AddColumn<bool>(
                name: "bundle_follower",
                table: "offers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "bundle_id",
                table: "offers",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_offers_bundle_id",
                table: "offers",
                column: "bundle_id",
                filter: "bundle_id is not null");

            migrationBuilder.CreateIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers",
                column: "courier_id",
                unique: true,
                filter: "status = 0 and not bundle_follower");

            // The archive keeps a twin of every live column, in the live order (OrderArchiveJob refuses to move rows otherwise).
            migrationBuilder.Sql("ALTER TABLE archive.offers ADD COLUMN bundle_follower boolean NOT NULL DEFAULT false, ADD COLUMN bundle_id uuid;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE archive.offers DROP COLUMN bundle_id, DROP COLUMN bundle_follower;");

            migrationBuilder.DropIndex(
                name: "ix_offers_bundle_id",
                table: "offers");

            migrationBuilder.DropIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "bundle_follower",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "bundle_id",
                table: "offers");

            migrationBuilder.CreateIndex(
                name: "ix_offers_one_pending_per_courier",
                table: "offers",
                column: "courier_id",
                unique: true,
                filter: "status = 0");
        }
    }
}
