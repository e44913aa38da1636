using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <summary>
    /// dispatch_decisions.explanation from json to bytea: new rows are Brotli-compressed JSON (ExplanationJson), a third of the text a
    /// batch round wrote a thousand of; stored rows keep their JSON text as its UTF-8 bytes, which the reader recognises.
    /// </summary>
    [NotReversible("PostgreSQL cannot decompress Brotli: going back replaces every explanation stored compressed since with a stub that says so")]
    public partial class DecisionsBytea : Migration
    {
        /// <summary>What a compressed explanation becomes on the way back: a compact explanation the earlier version reads.</summary>
        private const string Stub = """{"Rule":"stored compressed by a later version; not readable here","RadiusMetres":0,"Offered":[],"RunnersUp":[],"MoreEligible":0,"Excluded":[],"MoreExcluded":0}""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The archive's twin follows, so archived rows copy as they are. A type change drops the column's compression
            // setting, hence the second statement (it only matters for the oldest rows, of several kB).
            foreach (var table in new[] { "dispatch_decisions", "archive.dispatch_decisions" })
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN explanation TYPE bytea USING convert_to(explanation::text, 'UTF8');");
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "dispatch_decisions", "archive.dispatch_decisions" })
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} ALTER COLUMN explanation TYPE json USING
                        (CASE WHEN length(explanation) > 0 AND get_byte(explanation, 0) = 1 THEN '{Stub}'
                              ELSE convert_from(explanation, 'UTF8') END)::json;
                    """);
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }
    }
}
