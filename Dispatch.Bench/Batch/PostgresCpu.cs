using System.Globalization;
using Npgsql;

namespace Dispatch.Bench.Batch;

/// <summary>
/// The CPU time the bench's PostgreSQL cluster has spent: every process its postmaster started (backends, WAL writer,
/// checkpointer, autovacuum workers), read from <c>/proc</c>. Work per round in CPU milliseconds stands on a shared machine
/// where the wall clock does not; a process that has exited takes its time with it (the pool keeps the backends). Null
/// where the server is not on this machine's <c>/proc</c> (another host, or not Linux).
/// </summary>
internal sealed class PostgresCpu
{
    private readonly int _postmaster;
    private readonly double _tickMilliseconds;

    private PostgresCpu(int postmaster, double tickMilliseconds) => (_postmaster, _tickMilliseconds) = (postmaster, tickMilliseconds);

    public static async Task<PostgresCpu?> FindAsync(NpgsqlDataSource data, CancellationToken ct)
    {
        await using var command = data.CreateCommand("select pg_backend_pid()");
        var backend = (int)(await command.ExecuteScalarAsync(ct))!;
        // The backend's parent is the postmaster; its clock ticks are USER_HZ, 100 on Linux.
        return Stat(backend) is { } stat ? new PostgresCpu(stat.ParentId, 10.0) : null;
    }

    /// <summary>User plus system CPU of the postmaster's children so far, in milliseconds.</summary>
    public double Milliseconds()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is { } stat && (stat.ParentId == _postmaster || pid == _postmaster)) ticks += stat.Ticks;
        }
        return ticks * _tickMilliseconds;
    }

    private static (int ParentId, long Ticks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // After the command name in parentheses: state, ppid (field 4), … utime (14), stime (15).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
