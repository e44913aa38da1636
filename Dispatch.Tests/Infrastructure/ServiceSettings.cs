using System.Net.Sockets;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Where the real PostgreSQL and Redis started by infra/start.sh listen. Tests never fake them: when they are absent,
/// tests skip on a laptop and fail under CI=true.
/// </summary>
public static class ServiceSettings
{
    public static string Postgres =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=55432;Database=dispatch;Username=dispatch;Password=dispatch-dev";

    public static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:56379";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when both services accept TCP connections, else what is missing and how to fix it.</summary>
    public static string? Unavailable()
    {
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
        var redisParts = Redis.Split(',')[0].Split(':');
        var missing = new List<string>();
        if (!CanConnect(pg.Host ?? "127.0.0.1", pg.Port)) missing.Add($"PostgreSQL at {pg.Host}:{pg.Port}");
        if (!CanConnect(redisParts[0], int.Parse(redisParts[1], System.Globalization.CultureInfo.InvariantCulture))) missing.Add($"Redis at {Redis}");
        return missing.Count == 0 ? null : $"{string.Join(" and ", missing)} not reachable; run `bash infra/start.sh` first.";
    }

    private static bool CanConnect(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
