using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CourierOnboardingAndAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "claimed_equipment",
                table: "couriers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "documents",
                table: "couriers",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "rejection_reason",
                table: "couriers",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "review",
                table: "couriers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Couriers from before onboarding (made by the demo's seeding or /dev/fleet) keep going online: approved as they are.
            migrationBuilder.Sql("update couriers set review = 1");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reviewed_at",
                table: "couriers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reviewed_by",
                table: "couriers",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "suspended_at",
                table: "couriers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    action = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    target = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_couriers_review_created_at",
                table: "couriers",
                columns: new[] { "review", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_action_id",
                table: "audit_log",
                columns: new[] { "action", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_id",
                table: "audit_log",
                columns: new[] { "actor", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_target_id",
                table: "audit_log",
                columns: new[] { "target", "id" });

            // Append-only whatever the caller: no UPDATE, DELETE or TRUNCATE of the audit log gets through, API or not.
            migrationBuilder.Sql("""
                create function audit_log_append_only() returns trigger language plpgsql as $$
                begin
                    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
                end $$;
                create trigger audit_log_no_update_delete before update or delete on audit_log for each row execute function audit_log_append_only();
                create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.Sql("drop function audit_log_append_only()");

            migrationBuilder.DropIndex(
                name: "ix_couriers_review_created_at",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "claimed_equipment",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "documents",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "rejection_reason",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "review",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "reviewed_at",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "reviewed_by",
                table: "couriers");

            migrationBuilder.DropColumn(
                name: "suspended_at",
                table: "couriers");
        }
    }
}
