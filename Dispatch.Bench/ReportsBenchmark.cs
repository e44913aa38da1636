using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dispatch.Core.Reports;
using Dispatch.Server.Schema;
using Dispatch.Server.Reports;
using Npgsql;

namespace Dispatch.Bench;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- reports [--zones 20] [--days 366] [--runs 20]</c>
/// (infra/bench-reports.sh): fills a scratch database (made beside the one ConnectionStrings__Postgres names, migrated,
/// dropped at the end) with a simulated year of daily roll-ups for several zones, then times the report query as the API
/// runs it (<see cref="StatisticsStore.ReadAsync"/> over the whole range and every zone, plus the JSON it answers with).
/// </summary>
public static class ReportsBenchmark
{
    private const string Tag = "[bench-reports]";

    public static async Task<int> RunAsync(string[] args)
    {
        var zoneCount = int.Parse(Option(args, "--zones", "20"), CultureInfo.InvariantCulture);
        var days = int.Parse(Option(args, "--days", "366"), CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(args, "--runs", "20"), CultureInfo.InvariantCulture);
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set.");
        var scratch = new NpgsqlConnectionStringBuilder(postgres) { Database = $"dispatch_bench_reports_{Guid.NewGuid():N}"[..40], Pooling = false };
        await ExecuteAsync(postgres, $"create database {scratch.Database}");
        try
        {
            if (await MigrateCommand.RunAsync(scratch.ConnectionString, null, TextWriter.Null, CancellationToken.None) != 0) throw new InvalidOperationException("migration refused");
            await using var data = NpgsqlDataSource.Create(scratch.ConnectionString);
            var store = new StatisticsStore(data);
            var zones = Enumerable.Range(1, zoneCount).Select(i => $"zone_{i:00}").ToArray();
            var first = new DateOnly(2025, 1, 1);
            var random = new Random(22);
            var fill = Stopwatch.StartNew();
            for (var d = 0; d < days; d++)
            {
                var day = first.AddDays(d);
                await store.UpsertAsync([.. zones.Select(z => Row(z, day, random))], DateTimeOffset.UtcNow, CancellationToken.None);
            }
            Console.WriteLine($"{Tag} {zoneCount} zones × {days} days = {zoneCount * days} roll-up rows written in {fill.Elapsed.TotalSeconds:F1} s");
            await ExecuteAsync(scratch.ConnectionString, "analyze zone_stats");

            var from = StatisticsCalculator.Day("", first).Start;
            var to = from.AddDays(days);
            var times = new List<double>(runs);
            var rows = 0;
            long bytes = 0;
            for (var i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                var read = await store.ReadAsync(zones, from, to, 24, CancellationToken.None);
                var json = JsonSerializer.SerializeToUtf8Bytes(read, JsonSerializerOptions.Web);
                if (i == 0) continue; // the first run warms the JIT and the pool
                times.Add(watch.Elapsed.TotalMilliseconds);
                (rows, bytes) = (read.Count, json.Length);
            }
            times.Sort();
            Console.WriteLine($"SUMMARY report over {days} days × {zoneCount} zones ({rows} rows, {bytes / 1024.0:F0} KiB JSON), {runs} runs: " +
                $"mean {times.Average():F1} ms, p50 {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres, $"drop database if exists {scratch.Database} with (force)");
        }
    }

    private static ZoneStatistics Row(string zone, DateOnly day, Random random)
    {
        var delivered = random.Next(200, 2_000);
        var online = random.Next(5_000, 30_000);
        return new ZoneStatistics(zone, StatisticsCalculator.Day(zone, day).Start, 24, delivered, delivered / 20, delivered / 100, delivered * 9 / 10,
            random.Next(1_200, 2_400), random.Next(2_400, 3_600), random.Next(60, 600), delivered * 3 / 2, delivered, online, online * 2 / 3,
            delivered * 450L, random.Next(900, 1_500), random.NextDouble() / 3, random.Next(50, 300), delivered / 10, random.Next(0, 5), random.Next(60, 400), delivered);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
