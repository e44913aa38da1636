using Dispatch.Core.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Courier.Client;

/// <summary>
/// The runner app's typed connection to <c>/hubs/courier</c> (WebSockets, MessagePack). Calls mirror
/// <see cref="ICourierHub"/>; pushes mirror <see cref="ICourierClient"/>. Fixes given to <see cref="Report"/> are
/// buffered and sent in batches whenever connected, so a courier in a tunnel loses nothing but the oldest fixes
/// beyond <see cref="CourierConnectionOptions.BufferCapacity"/>. Reconnects forever and, after a reconnect,
/// goes online again with the last <see cref="GoOnlineRequest"/> before sending buffered fixes.
/// </summary>
internal sealed class CourierConnection : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly CourierConnectionOptions _options;
    private readonly FixBuffer _buffer;
    private readonly FixSender _sender;
    private readonly CancellationTokenSource _lifetime = new();
    private volatile GoOnlineRequest? _onlineRequest;
    private volatile CourierSession? _session;
    private volatile FixRejectionInfo[] _lastRejections = [];
    private volatile string? _lastError;
    private volatile string? _ended;
    private volatile bool _ready;
    private volatile bool _stopping;
    private long _sent;
    private long _accepted;
    private long _rejected;

    /// <summary>Connects to <paramref name="server"/> (e.g. http://localhost:5000) with a fixed bearer token.</summary>
    public CourierConnection(Uri server, string accessToken, CourierConnectionOptions? options = null)
        : this(server, FixedToken(accessToken), options)
    {
    }

    /// <summary>Connects with a token provider, called on every (re)connect so expiring tokens can be refreshed.</summary>
    public CourierConnection(Uri server, Func<Task<string?>> accessTokenProvider, CourierConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(accessTokenProvider);
        _options = options ?? new CourierConnectionOptions();
        _buffer = new FixBuffer(_options.BufferCapacity);
        HubUrl = new Uri(server.ToString().TrimEnd('/') + HubPaths.Courier);
        var configure = _options.ConfigureHttpConnection;
        _hub = new HubConnectionBuilder()
            .WithUrl(HubUrl, http =>
            {
                http.AccessTokenProvider = accessTokenProvider;
                // WebSockets without negotiation: one request per connection and no sticky sessions behind a balancer.
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                configure?.Invoke(http);
            })
            .AddMessagePackProtocol()
            .WithAutomaticReconnect(new ForeverRetryPolicy(_options.MaxReconnectDelay, () => _ended is not null))
            .Build();
        _hub.On<SessionEndedMessage>(nameof(ICourierClient.SessionEnded), OnSessionEnded);
        _hub.Reconnecting += OnReconnectingAsync;
        _hub.Reconnected += OnReconnectedAsync;
        _hub.Closed += OnClosedAsync;
        _sender = new FixSender(
            _buffer,
            _options.MaxBatchSize,
            SendFixesAsync,
            canSend: () => _ready && _hub.State == HubConnectionState.Connected,
            refused: (count, message) =>
            {
                Interlocked.Add(ref _rejected, count);
                _lastError = message;
            },
            failed: message => _lastError = message);
    }

    /// <summary>Raised on every connection state change (connected, reconnecting, disconnected).</summary>
    public event EventHandler<HubConnectionState>? StateChanged;

    /// <summary>
    /// Raised once when the server refuses the token on a reconnect (it expired and the token provider gave no fresh one);
    /// the connection then stays closed until <see cref="StartAsync"/> is called again. The argument says what to do.
    /// </summary>
    public event EventHandler<string>? TokenRefused;

    /// <summary>
    /// Raised once when the server ends the session for good (an admin suspended the courier) and closes the connection:
    /// nothing reconnects after it, since the server would refuse going online again. The argument is the server's reason.
    /// </summary>
    public event EventHandler<string>? SessionEnded;

    /// <summary>Raised after a reconnect went online again; the session lists orders still assigned.</summary>
    public event EventHandler<CourierSession>? SessionRestored;

    public Uri HubUrl { get; }

    public HubConnectionState State => _hub.State;

    public string? ConnectionId => _hub.ConnectionId;

    /// <summary>True between a successful GoOnline and GoOffline (kept across reconnects).</summary>
    public bool IsOnline => _onlineRequest is not null;

    public GoOnlineRequest? OnlineRequest => _onlineRequest;

    /// <summary>The session from the last successful GoOnline.</summary>
    public CourierSession? Session => _session;

    /// <summary>Fixes the server answered for (accepted plus rejected).</summary>
    public long FixesSent => Interlocked.Read(ref _sent);

    public long FixesAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Fixes the server rejected, one by one or as a whole batch.</summary>
    public long FixesRejected => Interlocked.Read(ref _rejected);

    /// <summary>Oldest buffered fixes dropped because the buffer was full while disconnected.</summary>
    public long FixesDropped => _buffer.Dropped;

    public int FixesBuffered => _buffer.Count;

    /// <summary>Rejections of the last batch that had any.</summary>
    public IReadOnlyList<FixRejectionInfo> LastRejections => _lastRejections;

    /// <summary>The server's reason when it ended the session for good (<see cref="SessionEnded"/>); null otherwise.</summary>
    public string? EndedReason => _ended;

    /// <summary>The last failure seen by the background sender or the reconnect logic.</summary>
    public string? LastError => _lastError;

    /// <summary>
    /// Connects once; throws when the server is unreachable or refuses the token. Later drops reconnect by themselves.
    /// Fixes reported meanwhile stay buffered until the courier is online (<see cref="GoOnlineAsync"/>): the server refuses
    /// fixes from a courier who is not, and a refused batch is dropped.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _ended = null; // connecting again on purpose (after a reinstatement, say)
        await _hub.StartAsync(cancellationToken);
        _sender.Start();
        StateChanged?.Invoke(this, _hub.State);
    }

    /// <summary>Stops the connection; buffered fixes stay buffered. Use <see cref="DisposeAsync"/> when done.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await _hub.StopAsync(cancellationToken);
    }

    public async Task<CourierSession> GoOnlineAsync(GoOnlineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = await _hub.InvokeAsync<CourierSession>(nameof(ICourierHub.GoOnline), request, cancellationToken);
        _onlineRequest = request;
        _session = session;
        _ready = true;
        _sender.Wake();
        return session;
    }

    public async Task GoOfflineAsync(CancellationToken cancellationToken)
    {
        _onlineRequest = null;
        await _hub.InvokeAsync(nameof(ICourierHub.GoOffline), cancellationToken);
    }

    /// <summary>Sends one batch now and returns the server's verdict; updates the counters. Bypasses the buffer.</summary>
    public async Task<FixBatchResult> SendFixesAsync(LocationFix[] fixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fixes.Length, HubPaths.MaxFixesPerBatch, nameof(fixes));
        var result = await _hub.InvokeAsync<FixBatchResult>(nameof(ICourierHub.SendFixes), fixes, cancellationToken);
        var rejected = result.Rejected ?? [];
        Interlocked.Add(ref _sent, fixes.Length);
        Interlocked.Add(ref _accepted, result.Accepted);
        Interlocked.Add(ref _rejected, rejected.Length);
        if (rejected.Length > 0) _lastRejections = rejected;
        return result;
    }

    public Task<AcceptResult> AcceptOfferAsync(Guid offerId, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<AcceptResult>(nameof(ICourierHub.AcceptOffer), offerId, cancellationToken);

    public Task DeclineOfferAsync(Guid offerId, string reason, CancellationToken cancellationToken) =>
        _hub.InvokeAsync(nameof(ICourierHub.DeclineOffer), offerId, reason, cancellationToken);

    public Task<OrderStepResult> ArrivedAtPickupAsync(Guid orderId, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<OrderStepResult>(nameof(ICourierHub.ArrivedAtPickup), orderId, cancellationToken);

    public Task<OrderStepResult> PickedUpAsync(Guid orderId, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<OrderStepResult>(nameof(ICourierHub.PickedUp), orderId, cancellationToken);

    public Task<OrderStepResult> DeliveredAsync(Guid orderId, string pin, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<OrderStepResult>(nameof(ICourierHub.Delivered), orderId, pin, cancellationToken);

    /// <summary>Multi-stop errands: stop <paramref name="stopIndex"/> (0-based) of a picked-up order is done.</summary>
    public Task<StopCompleted> CompleteStopAsync(Guid orderId, int stopIndex, CancellationToken cancellationToken) =>
        _hub.InvokeAsync<StopCompleted>(nameof(ICourierHub.CompleteStop), orderId, stopIndex, cancellationToken);

    /// <summary>
    /// Registers a handler for offers. Handlers run on the receive loop: return quickly and do not await hub
    /// calls inside them (queue the work instead). Dispose the result to unregister.
    /// </summary>
    public IDisposable OnOfferReceived(Func<OfferMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.OfferReceived), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnOfferWithdrawn(Func<OfferWithdrawnMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.OfferWithdrawn), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnOrderCancelled(Func<OrderCancelledMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.OrderCancelled), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnJobAssigned(Func<JobAssignedMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.JobAssigned), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnRouteAssigned(Func<RouteMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.RouteAssigned), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnOrderReassigned(Func<OrderReassignedMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.OrderReassigned), handler);

    /// <inheritdoc cref="OnOfferReceived"/>
    public IDisposable OnJobsInHand(Func<JobsInHandMessage, Task> handler) =>
        _hub.On(nameof(ICourierClient.JobsInHand), handler);

    /// <summary>Queues a fix; it is sent in a batch as soon as the connection allows. Never blocks.</summary>
    public void Report(LocationFix fix)
    {
        _buffer.Add(fix);
        _sender.Wake();
    }

    /// <summary>Sends everything buffered now. Returns false when not connected or a send failed (fixes stay buffered).</summary>
    public Task<bool> FlushAsync(CancellationToken cancellationToken) => _sender.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stopping && _lifetime.IsCancellationRequested) return;
        _stopping = true;
        await _lifetime.CancelAsync();
        await _sender.DisposeAsync();
        await _hub.DisposeAsync();
        _lifetime.Dispose();
    }

    private Task OnReconnectingAsync(Exception? error)
    {
        _ready = false;
        if (error is not null) _lastError = error.Message;
        StateChanged?.Invoke(this, _hub.State);
        return Task.CompletedTask;
    }

    private Task OnReconnectedAsync(string? connectionId)
    {
        StateChanged?.Invoke(this, _hub.State);
        // Off the connection's own callback: RestoreAsync calls the hub.
        _ = Task.Run(() => RestoreAsync(_lifetime.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task OnClosedAsync(Exception? error)
    {
        _ready = false;
        if (error is not null) _lastError = error.Message;
        StateChanged?.Invoke(this, _hub.State);
        // Automatic reconnect gave up or the server closed without allowing a reconnect: keep trying anyway, unless the
        // server ended the session for good.
        if (!_stopping && _ended is null) _ = Task.Run(() => RestartAsync(_lifetime.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task OnSessionEnded(SessionEndedMessage message)
    {
        // Set before the server's close reaches the reconnect policy: pushes are handled in order on the receive loop.
        _ended = message.Reason;
        _onlineRequest = null;
        _ready = false;
        _lastError = message.Reason;
        SessionEnded?.Invoke(this, message.Reason);
        return Task.CompletedTask;
    }

    private async Task RestartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1L; !cancellationToken.IsCancellationRequested && !_stopping && _ended is null; attempt++)
        {
            try
            {
                await Task.Delay(ForeverRetryPolicy.Delay(attempt, _options.MaxReconnectDelay, Random.Shared.NextDouble()), cancellationToken);
                if (_hub.State != HubConnectionState.Disconnected) return;
                await _hub.StartAsync(cancellationToken);
                StateChanged?.Invoke(this, _hub.State);
                await RestoreAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ForeverRetryPolicy.IsTokenRefused(ex))
            {
                // The same token would be refused forever: say so once and stop, instead of retrying in silence.
                _lastError = "The server refused the token (it has expired or was not issued there); connect again with a fresh token.";
                TokenRefused?.Invoke(this, _lastError);
                return;
            }
            catch (Exception ex)
            {
                _lastError = ex.Message;
            }
        }
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_onlineRequest is { } request)
            {
                var session = await _hub.InvokeAsync<CourierSession>(nameof(ICourierHub.GoOnline), request, cancellationToken);
                _session = session;
                SessionRestored?.Invoke(this, session);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Send the buffered fixes anyway; the server says per batch whether it takes them.
            _lastError = ex.Message;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _ready = true;
        _sender.Wake();
    }

    private static Func<Task<string?>> FixedToken(string accessToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var task = Task.FromResult<string?>(accessToken);
        return () => task;
    }
}
