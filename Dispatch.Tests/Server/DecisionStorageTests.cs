using Dispatch.Tests.Infrastructure;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// How dispatch explanations are stored: a batch round writes a thousand at once, compressed by the server (Brotli) to ~0.56 kB each
/// (below PostgreSQL's ~2 kB compression threshold). An explanation above it (the oldest rows, the whole ranking as JSON
/// text) is compressed with lz4: PostgreSQL's default (pglz) cost a round about twice its time (docs/benchmarks.md, "Batch tick").
/// </summary>
public sealed class DecisionStorageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_large_explanation_is_compressed_with_lz4()
    {
        server.RequireServices();
        // An explanation the size of a batch round's (30 candidates with their terms), in a transaction rolled back: nothing is kept.
        var candidates = string.Join(",", Enumerable.Range(0, 30).Select(i =>
            $$"""{"CourierId":"{{Guid.NewGuid()}}","DistanceMetres":{{400 + i * 37.5}},"SecondsToPickup":{{90 + i * 7.25}},"LoadPenaltySeconds":{{i * 3.5}},"LatenessSeconds":0}"""));
        var explanation = $$"""{"Rule":"batch","Candidates":[{{candidates}}]}""";
        Assert.True(explanation.Length > 2_000, "large enough for PostgreSQL to compress it");

        await using var connection = await server.Db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("insert into dispatch_decisions (order_id, at, explanation) values ($1, now(), convert_to($2, 'UTF8')) returning id", connection, tx);
        insert.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        insert.Parameters.Add(new NpgsqlParameter { Value = explanation });
        var id = await insert.ExecuteScalarAsync();
        // Read back as stored (RETURNING sees the row before PostgreSQL compresses it).
        await using var stored = new NpgsqlCommand("select pg_column_compression(explanation) from dispatch_decisions where id = $1", connection, tx);
        stored.Parameters.Add(new NpgsqlParameter { Value = id });
        Assert.Equal("lz4", await stored.ExecuteScalarAsync());
        await tx.RollbackAsync();
    }
}
