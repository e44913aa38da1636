using System.Net;
using System.Net.Sockets;

namespace Dispatch.Bench.Scale;

/// <summary>
/// HTTP invokers whose sockets leave from 127.0.0.2, 127.0.0.3, …: Linux routes all of 127/8 to loopback, and each source
/// address has its own ~28,000 ephemeral ports, so tens of thousands of connections to one server port never run out.
/// </summary>
public sealed class SourceAddresses : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;

    public SourceAddresses(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _invokers = [.. Enumerable.Range(0, count).Select(i => new HttpMessageInvoker(Handler(IPAddress.Parse($"127.0.0.{2 + i}"))))];
    }

    public int Count => _invokers.Length;

    /// <summary>The invoker for the <paramref name="n"/>th connection (round robin over the addresses).</summary>
    public HttpMessageInvoker For(int n) => _invokers[n % _invokers.Length];

    public void Dispose()
    {
        foreach (var invoker in _invokers) invoker.Dispose();
    }

    private static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
