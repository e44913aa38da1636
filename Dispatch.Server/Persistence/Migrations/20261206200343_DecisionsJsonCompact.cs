using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DecisionsJsonCompact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "explanation",
                table: "dispatch_decisions",
                type: "json",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "jsonb")
                .Annotation("Npgsql:Compression:", "lz4")
                .OldAnnotation("Npgsql:Compression:", "lz4");

            // Stored rows keep their text (old ones the whole ranking, read and compacted by StoredExplanation); the archive's
            // twin follows so archived rows copy as they are.
            migrationBuilder.Sql("ALTER TABLE archive.dispatch_decisions ALTER COLUMN explanation TYPE json;");
            // A type change drops the column's compression setting, which the annotation above does not restate.
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "explanation",
                table: "dispatch_decisions",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "json")
                .Annotation("Npgsql:Compression:", "lz4")
                .OldAnnotation("Npgsql:Compression:", "lz4");

            migrationBuilder.Sql("ALTER TABLE archive.dispatch_decisions ALTER COLUMN explanation TYPE jsonb;");
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }
    }
}
