using System.Diagnostics;
using Dispatch.Core.Contracts;
using Dispatch.Server.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The batch benchmark's connected couriers: real SignalR connections (MessagePack, a courier's token each) to the
/// bench's own server, counting the offers pushed to them and when the last one arrived, so a round is measured up to
/// its couriers being told.
/// </summary>
internal sealed class BatchTickCouriers : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private int _received;
    private long _lastAt;

    /// <summary>Offers received since <see cref="StartRound"/>.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>The courier ids connected.</summary>
    public Guid[] Ids { get; private set; } = [];

    public int Count => _connections.Count;

    /// <summary>How many of the connections are not connected (closed by the server, or reconnecting).</summary>
    public int Disconnected => _connections.Count(c => c.State != HubConnectionState.Connected);

    public async Task ConnectAsync(Uri server, TokenIssuer tokens, IReadOnlyList<Guid> couriers, CancellationToken ct)
    {
        Ids = [.. couriers];
        // A few at a time: hundreds of handshakes at once would time out on a 2-core machine.
        foreach (var chunk in couriers.Chunk(25))
        {
            var connections = chunk.Select(id => new HubConnectionBuilder()
                .WithUrl(new Uri(server, HubPaths.Courier), o => o.AccessTokenProvider = () => Task.FromResult<string?>(tokens.Issue(id.ToString(), Roles.Courier)))
                .AddMessagePackProtocol()
                .ConfigureLogging(l => l.AddConsole().SetMinimumLevel(LogLevel.Warning))
                .Build()).ToList();
            foreach (var connection in connections)
            {
                connection.On<OfferMessage>(nameof(ICourierClient.OfferReceived), _ =>
                {
                    Interlocked.Exchange(ref _lastAt, Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref _received);
                });
                _connections.Add(connection);
            }
            await Task.WhenAll(connections.Select(c => c.StartAsync(ct)));
        }
    }

    /// <summary>Forgets earlier rounds' pushes.</summary>
    public void StartRound()
    {
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _lastAt, 0);
    }

    /// <summary>
    /// Waits until <paramref name="expected"/> offers have arrived since <see cref="StartRound"/>; the timestamp of the last
    /// (<see cref="Stopwatch.GetTimestamp"/>), or null when they did not all arrive within <paramref name="timeout"/>.
    /// </summary>
    public async Task<long?> AllReceivedAsync(int expected, TimeSpan timeout, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // A bench's own loop, not a test: polled every millisecond, it adds at most that to the push time it reports.
        while (Received < expected)
        {
            if (Stopwatch.GetTimestamp() > until) return null;
            await Task.Delay(1, ct);
        }
        return Interlocked.Read(ref _lastAt);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_connections.Select(c => c.DisposeAsync().AsTask()));
        _connections.Clear();
    }
}
