using System.Net;
using System.Net.Sockets;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A loopback port in front of a real service (the shared PostgreSQL or Redis) that refuses connections until
/// <see cref="Open"/>: to the server behind it the service is down (connection refused), then comes back on the same address
/// without the server restarting. Open, it forwards bytes both ways and nothing else.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public TcpGate(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        // A port that was free a moment ago and nothing listens on until Open: connections are refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public static TcpGate ToRedis()
    {
        var parts = ServiceSettings.Redis.Split(',')[0].Split(':');
        return new TcpGate(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TcpGate ToPostgres()
    {
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(ServiceSettings.Postgres);
        return new TcpGate(pg.Host ?? "127.0.0.1", pg.Port);
    }

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        using (inbound)
        using (var outbound = new TcpClient())
        {
            try
            {
                await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                var a = inbound.GetStream();
                var b = outbound.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // One side closed or the gate is being disposed: the other side sees the connection end, as with a real outage.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        _stop.Dispose();
    }
}
