using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    // Down brings the plain columns back, but cannot fill them: only the app decrypts, so rolling back would blank the
    // name, phone and PIN of every order encrypted since. The way back is the backup taken before the upgrade.
    [NotReversible("it cannot decrypt in SQL: going back blanks the customer name, phone and PIN of every order encrypted since")]
    public partial class EncryptPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Ciphertext columns beside the plain ones: Data Protection cannot run in SQL, so the app encrypts the existing
            // rows at start (PersonalDataBackfill) and empties the plain columns, which become nullable and leave the model.
            foreach (var column in new[] { "customer_name_enc", "customer_phone_enc", "pin_enc" })
            {
                migrationBuilder.AddColumn<string>(name: column, table: "orders", type: "text", nullable: false, defaultValue: "");
            }
            migrationBuilder.AlterColumn<string>(name: "customer_name", table: "orders", type: "character varying(100)", maxLength: 100, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(100)", oldMaxLength: 100);
            migrationBuilder.AlterColumn<string>(name: "customer_phone", table: "orders", type: "character varying(32)", maxLength: 32, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(32)", oldMaxLength: 32);
            migrationBuilder.AlterColumn<string>(name: "pin", table: "orders", type: "character varying(8)", maxLength: 8, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(8)", oldMaxLength: 8);
            // The rows still to encrypt, so the start-up step finds them (or that there are none) without reading the table.
            migrationBuilder.Sql("create index ix_orders_plain_personal_data on orders (id) where customer_phone is not null");

            migrationBuilder.AddColumn<byte[]>(
                name: "customer_phone_hash",
                table: "orders",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<byte[]>(
                name: "customer_phone_suffix_hash",
                table: "orders",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    xml = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_customer_phone_hash",
                table: "orders",
                column: "customer_phone_hash");

            migrationBuilder.CreateIndex(
                name: "ix_orders_customer_phone_suffix_hash",
                table: "orders",
                column: "customer_phone_suffix_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Only the app can decrypt: going back empties the personal data of every row encrypted since.
            migrationBuilder.Sql("drop index if exists ix_orders_plain_personal_data");
            migrationBuilder.Sql("update orders set customer_name = coalesce(customer_name, ''), customer_phone = coalesce(customer_phone, ''), pin = coalesce(pin, '') where customer_phone is null");
            migrationBuilder.DropTable(name: "data_protection_keys");
            migrationBuilder.DropIndex(name: "ix_orders_customer_phone_hash", table: "orders");
            migrationBuilder.DropIndex(name: "ix_orders_customer_phone_suffix_hash", table: "orders");
            foreach (var column in new[] { "customer_phone_hash", "customer_phone_suffix_hash", "customer_name_enc", "customer_phone_enc", "pin_enc" })
            {
                migrationBuilder.DropColumn(name: column, table: "orders");
            }
            migrationBuilder.AlterColumn<string>(name: "customer_name", table: "orders", type: "character varying(100)", maxLength: 100, nullable: false,
                oldClrType: typeof(string), oldType: "character varying(100)", oldMaxLength: 100, oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "customer_phone", table: "orders", type: "character varying(32)", maxLength: 32, nullable: false,
                oldClrType: typeof(string), oldType: "character varying(32)", oldMaxLength: 32, oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "pin", table: "orders", type: "character varying(8)", maxLength: 8, nullable: false,
                oldClrType: typeof(string), oldType: "character varying(8)", oldMaxLength: 8, oldNullable: true);
        }
    }
}
