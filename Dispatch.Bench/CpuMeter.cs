using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Dispatch.Bench;

/// <summary>
/// CPU time spent by this process (server, receiver, producers) and by the PostgreSQL cluster (the postmaster, its live
/// children and those it has reaped), from /proc: on a machine shared with other work, CPU per event compares builds where
/// events per second mostly measure the share of the cores the bench was given. PostgreSQL must run on this machine;
/// otherwise its part reads 0.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly int? _postmaster;

    private CpuMeter(int? postmaster) => _postmaster = postmaster;

    public static async Task<CpuMeter> StartAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("select pg_backend_pid()");
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        return new CpuMeter(ParentOf(backend));
    }

    /// <summary>Seconds of CPU so far: this process's, PostgreSQL's.</summary>
    public (double Process, double Postgres) Read()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime.TotalSeconds, _postmaster is { } pm ? PostgresSeconds(pm) : 0);
    }

    /// <summary>
    /// CPU ticks so far of each session on <paramref name="db"/>'s database (its pid in pg_stat_activity): unlike
    /// <see cref="Read"/>'s cluster-wide reading, other databases' work on a shared cluster is not in it. A session that ends
    /// between two readings takes its ticks with it, so the difference of two readings (<see cref="SessionSeconds"/>) can only undercount.
    /// </summary>
    public static Dictionary<int, long> SessionTicks(NpgsqlDataSource db)
    {
        var ticks = new Dictionary<int, long>();
        using var command = db.CreateCommand("select pid from pg_stat_activity where datname = current_database()");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var pid = reader.GetInt32(0);
            ticks[pid] = Times(pid, withChildren: false);
        }
        return ticks;
    }

    /// <summary>Seconds of CPU the sessions of the later reading spent since the earlier one (a session new since then: all of its time).</summary>
    public static double SessionSeconds(Dictionary<int, long> before, Dictionary<int, long> after) =>
        after.Sum(x => Math.Max(0, x.Value - before.GetValueOrDefault(x.Key))) / TicksPerSecond;

    private static double PostgresSeconds(int postmaster)
    {
        var ticks = Times(postmaster, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ParentOf(pid) != postmaster) continue;
            ticks += Times(pid, withChildren: false);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>utime + stime (+ cutime + cstime) from /proc/pid/stat; 0 when the process is gone.</summary>
    private static long Times(int pid, bool withChildren)
    {
        var fields = StatFields(pid);
        if (fields is null) return 0;
        // Fields after the command's closing parenthesis, numbered from state (3): utime 14, stime 15, cutime 16, cstime 17.
        long F(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
        return F(14) + F(15) + (withChildren ? F(16) + F(17) : 0);
    }

    private static int? ParentOf(int pid) => StatFields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
