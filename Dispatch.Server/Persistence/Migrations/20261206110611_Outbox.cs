using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.id);
                });

            // One NOTIFY per inserting statement, delivered at commit: it wakes the relays on every node.
            migrationBuilder.Sql("""
                create function outbox_notify() returns trigger language plpgsql as $$
                begin
                  perform pg_notify('outbox', '');
                  return null;
                end $$;
                create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
                """);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_event_id",
                table: "outbox",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending",
                table: "outbox",
                column: "id",
                filter: "processed_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_order",
                table: "outbox",
                columns: new[] { "order_id", "id" },
                filter: "processed_at is null");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_processed_at",
                table: "outbox",
                column: "processed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop trigger if exists outbox_notify on outbox; drop function if exists outbox_notify();");

            migrationBuilder.DropTable(
                name: "outbox");
        }
    }
}
