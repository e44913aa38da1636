using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <summary>
    /// dispatch_decisions.explanation from json to bytea: new rows are Brotli-compressed JSON (StoredExplanation), a third of the text a
    /// batch round wrote a thousand of; stored rows keep their JSON text as its UTF-8 bytes, which the reader recognises. Going back
    /// keeps every row: PostgreSQL cannot decompress Brotli, so a compressed one becomes an explanation the earlier version reads
    /// as "stored compressed by a later version", carrying the compressed bytes (base64, which that version ignores), and coming up
    /// again restores them.
    /// </summary>
    public partial class DecisionsBytea : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The archive's twin follows, so archived rows copy as they are. A type change drops the column's compression
            // setting, hence the last statement (it only matters for the oldest rows, of several kB).
            foreach (var table in new[] { "dispatch_decisions", "archive.dispatch_decisions" })
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} ALTER COLUMN explanation TYPE bytea USING
                        (CASE WHEN explanation->>'Compressed' IS NOT NULL THEN decode(explanation->>'Compressed', 'base64')
                              ELSE convert_to(explanation::text, 'UTF8') END);
                    """);
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "dispatch_decisions", "archive.dispatch_decisions" })
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} ALTER COLUMN explanation TYPE json USING
                        (CASE WHEN length(explanation) > 0 AND get_byte(explanation, 0) = 1
                              THEN json_build_object('Rule', 'stored compressed by a later version; not readable here', 'RadiusMetres', 0,
                                  'Offered', json_build_array(), 'RunnersUp', json_build_array(), 'MoreEligible', 0,
                                  'Excluded', json_build_array(), 'MoreExcluded', 0, 'Compressed', encode(explanation, 'base64'))
                              ELSE convert_from(explanation, 'UTF8')::json END);
                    """);
            migrationBuilder.Sql("ALTER TABLE dispatch_decisions ALTER COLUMN explanation SET COMPRESSION lz4;");
        }
    }
}
