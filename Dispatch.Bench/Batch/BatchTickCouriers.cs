using System.Diagnostics;
using Dispatch.Core.Contracts;
using Dispatch.Server.Auth;
using Dispatch.Server.Couriers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Bench.Batch;

/// <summary>
/// The batch benchmark's connected couriers: real SignalR connections (MessagePack, a courier's token each) to the
/// bench's own server, counting the offers pushed to them and when the last one arrived, so a round is measured up to
/// its couriers being told.
/// </summary>
internal sealed class BatchTickCouriers : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _reached = new();
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
            foreach (var (connection, id) in connections.Zip(chunk))
            {
                connection.On<OfferWithdrawnMessage>(nameof(ICourierClient.OfferWithdrawn), _ => _reached[id] = true);
                // A bundle offer is one push carrying each of its orders' offers (the rows the round counts).
                connection.On<OfferMessage>(nameof(ICourierClient.OfferReceived), m =>
                {
                    Interlocked.Exchange(ref _lastAt, Stopwatch.GetTimestamp());
                    Interlocked.Add(ref _received, m.Bundle?.Length ?? 1);
                });
                _connections.Add(connection);
            }
            await Task.WhenAll(connections.Select(c => c.StartAsync(ct)));
        }
    }

    /// <summary>
    /// Pushes a harmless message (an offer withdrawn that never was) to every connected courier until each has one, and
    /// returns how long that took: a connection's handshake completes before the node's backplane subscription for its
    /// user does, and a push in between is lost (seen: a fifth of the first round's offers on a loaded machine).
    /// </summary>
    public async Task<TimeSpan> ReachableAsync(IHubContext<CourierHub, ICourierClient> hub, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (Ids.Any(id => !_reached.ContainsKey(id)))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
                throw new InvalidOperationException($"{Ids.Count(id => !_reached.ContainsKey(id))} of {Ids.Length} connected couriers received no push within {timeout.TotalSeconds:0} s");
            await Task.WhenAll(Ids.Where(id => !_reached.ContainsKey(id))
                .Select(id => hub.Clients.User(id.ToString()).OfferWithdrawn(new OfferWithdrawnMessage(Guid.Empty, Guid.Empty, "bench: are you there"))));
            // A bench's own retry pace, not a test's synchronisation: what has not arrived by then is pushed again.
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        return Stopwatch.GetElapsedTime(started);
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
