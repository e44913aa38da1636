using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EarningsLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_transactions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cause = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    courier_id = table.Column<Guid>(type: "uuid", nullable: true),
                    memo = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_transactions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "withdrawals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    courier_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    payout_reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_withdrawals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    courier_id = table.Column<Guid>(type: "uuid", nullable: true),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_lines_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_account_at",
                table: "ledger_lines",
                columns: new[] { "account", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_courier_id_account_at",
                table: "ledger_lines",
                columns: new[] { "courier_id", "account", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_order_id",
                table: "ledger_lines",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_transaction_id",
                table: "ledger_lines",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_cause",
                table: "ledger_transactions",
                column: "cause",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_courier_id_at",
                table: "ledger_transactions",
                columns: new[] { "courier_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_withdrawals_courier_id_requested_at",
                table: "withdrawals",
                columns: new[] { "courier_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_withdrawals_requested",
                table: "withdrawals",
                column: "requested_at",
                filter: "state = 0");

            // The ledger is append-only whatever the caller, and every transaction balances per currency: checked at commit
            // (a deferred constraint trigger), so a posting's lines may be inserted one by one in any order.
            migrationBuilder.Sql("""
                alter table ledger_lines add constraint ck_ledger_lines_amount_not_zero check (amount <> 0);
                alter table withdrawals add constraint ck_withdrawals_amount_positive check (amount_cents > 0);
                create function ledger_append_only() returns trigger language plpgsql as $$
                begin
                    raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
                end $$;
                create trigger ledger_transactions_no_update_delete before update or delete on ledger_transactions for each row execute function ledger_append_only();
                create trigger ledger_transactions_no_truncate before truncate on ledger_transactions for each statement execute function ledger_append_only();
                create trigger ledger_lines_no_update_delete before update or delete on ledger_lines for each row execute function ledger_append_only();
                create trigger ledger_lines_no_truncate before truncate on ledger_lines for each statement execute function ledger_append_only();
                create function ledger_balanced() returns trigger language plpgsql as $$
                declare unbalanced text;
                begin
                    select currency into unbalanced from ledger_lines where transaction_id = new.transaction_id group by currency having sum(amount) <> 0 limit 1;
                    if unbalanced is not null then
                        raise exception 'ledger transaction % does not balance in %', new.transaction_id, unbalanced using errcode = 'check_violation';
                    end if;
                    return null;
                end $$;
                create constraint trigger ledger_lines_balanced after insert on ledger_lines deferrable initially deferred
                    for each row execute function ledger_balanced();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_lines");

            migrationBuilder.DropTable(
                name: "withdrawals");

            migrationBuilder.DropTable(
                name: "ledger_transactions");

            migrationBuilder.Sql("drop function ledger_append_only(); drop function ledger_balanced();");
        }
    }
}
