using System.Threading.Channels;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Courier.Api;
using Dispatch.Courier.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// One simulated courier: a real <see cref="CourierConnection"/> driven by a tick loop. Pushes from the server are
/// queued and handled on the next tick, so the connection's receive loop never waits on the courier "thinking",
/// and all of the courier's state is touched by one loop only. A bundle offer (several orders of one pickup) is accepted
/// whole: the courier picks all of them up in one stop, then delivers them one after the other.
/// </summary>
internal sealed class SimulatedCourier : IAsyncDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    /// <summary>Rejected attempts at one order step (arrived, picked up, delivered) before the courier gives up the order.</summary>
    private const int MaxStepAttempts = 5;

    private readonly SimulationContext _context;
    private readonly CourierBehaviour _behaviour;
    private readonly Mover _mover;
    private readonly double _cruiseSpeed; // metres per second
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<PendingOffer> _pending = [];
    private CourierPhase _phase = CourierPhase.Idle;
    private ActiveJob? _job;
    private readonly List<ActiveJob> _next = []; // the other orders in hand (a bundle's), carried out after _job
    private DateTimeOffset _lastTick;
    private DateTimeOffset _nextFixAt;
    private DateTimeOffset _waitUntil;
    private int _stepAttempts;
    private int _stopIndex; // ToStop: the 0-based stop being driven to
    private RouteMessage? _route; // the planned road route of the current job, when the zone has a network
    private LatLon? _target; // where the current job leg goes

    public SimulatedCourier(FleetCourier identity, CourierProfile profile, LatLon start, CourierBehaviour behaviour, SimulationContext context)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(behaviour);
        ArgumentNullException.ThrowIfNull(context);
        Identity = identity;
        Profile = profile;
        _behaviour = behaviour;
        _context = context;
        _mover = new Mover(start);
        _cruiseSpeed = behaviour.CruiseSpeed(profile.Vehicle);
        // The server closes a connection when its token expires; the reconnect then gets a fresh one.
        Connection = context.IssueCourierToken is { } issue
            ? new CourierConnection(context.Server, new RenewingToken(identity.Token, ct => issue(identity.CourierId, ct), context.Time).GetAsync)
            : new CourierConnection(context.Server, identity.Token);
        Connection.TokenRefused += (_, message) => context.Stats.Error("Connect", $"{identity.Name}: {message}");
        Connection.SessionEnded += (_, reason) => context.Stats.SessionEnded(identity.Name, reason);
        Connection.OnOfferReceived(Enqueue);
        Connection.OnOfferWithdrawn(Enqueue);
        Connection.OnOrderCancelled(Enqueue);
        Connection.OnRouteAssigned(Enqueue);
        Connection.OnJobsInHand(Enqueue);
        Connection.SessionRestored += (_, session) => _inbox.Writer.TryWrite(session);
    }

    public FleetCourier Identity { get; }

    public CourierProfile Profile { get; }

    public CourierConnection Connection { get; }

    public bool IsOnline => Connection.IsOnline && Connection.State == HubConnectionState.Connected;

    /// <summary>Connects and goes online once; throws on failure.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (Connection.State == HubConnectionState.Disconnected) await Connection.StartAsync(cancellationToken);
        var session = await Connection.GoOnlineAsync(new GoOnlineRequest(Profile.Equipment, Profile.Vehicle, Profile.Capacity), cancellationToken);
        _inbox.Writer.TryWrite(session);
    }

    /// <summary>Connects (retrying until it works) and then lives the courier's shift until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectWithRetryAsync(cancellationToken);
            _lastTick = _nextFixAt = _context.Time.GetUtcNow();
            using var timer = new PeriodicTimer(Tick, _context.Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Suspended: the connection no longer reconnects, and this courier's shift is over.
                if (Connection.EndedReason is not null) return;
                await TickAsync(_context.Time.GetUtcNow(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Best effort at the end of the simulation.</summary>
    public async Task GoOfflineAsync(CancellationToken cancellationToken)
    {
        if (Connection.State != HubConnectionState.Connected) return;
        try
        {
            await Connection.GoOfflineAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HubException or InvalidOperationException or OperationCanceledException or IOException)
        {
            // Shutting down anyway; the server marks the courier stale.
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private async Task ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; !Connection.IsOnline && Connection.EndedReason is null; attempt++)
        {
            try
            {
                await ConnectAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _context.Stats.ConnectFailed();
                _context.Stats.Error($"connect {Identity.Name}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), _context.Time, cancellationToken);
            }
        }
    }

    private Task Enqueue<T>(T message)
        where T : notnull
    {
        _inbox.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    private async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var elapsed = now - _lastTick;
        _lastTick = now;
        DrainInbox(now);
        await DecideDueOffersAsync(now, cancellationToken);
        await AdvanceAsync(now, elapsed, cancellationToken);
        if (now >= _nextFixAt) ReportFix(now);
    }

    private void DrainInbox(DateTimeOffset now)
    {
        while (_inbox.Reader.TryRead(out var message))
        {
            switch (message)
            {
                case OfferMessage offer:
                    // Going online again hands over offers still pending, which may have been pushed already.
                    if (_pending.Exists(p => p.Offer.OfferId == offer.OfferId)) break;
                    _context.Stats.OfferReceived();
                    var busy = _phase != CourierPhase.Idle || _next.Count > 0 || _pending.Exists(p => p.Decision.Accept);
                    var decision = _behaviour.DecideOffer(busy);
                    _pending.Add(new PendingOffer(offer, now + decision.Delay, decision));
                    break;
                case OfferWithdrawnMessage withdrawn:
                    _context.Stats.Withdrawn();
                    _pending.RemoveAll(p => p.Offer.OfferId == withdrawn.OfferId);
                    LeaveBundle(withdrawn.OfferId);
                    break;
                case OrderCancelledMessage cancelled:
                    _context.Stats.Cancelled();
                    _next.RemoveAll(j => j.OrderId == cancelled.OrderId);
                    if (_job?.OrderId == cancelled.OrderId) NextJob(now);
                    break;
                case CourierSession session:
                    Reconcile(session.ActiveJobs ?? [], now);
                    break;
                case JobsInHandMessage held:
                    Reconcile(held.Jobs, now);
                    break;
                case RouteMessage route when _job?.OrderId == route.OrderId && (_route is null || route.Version >= _route.Version):
                    _route = route;
                    if (_target is { } target && _phase is CourierPhase.ToPickup or CourierPhase.ToStop or CourierPhase.ToDropoff) Steer(target);
                    break;
            }
        }
    }

    /// <summary>An order taken out of a pending bundle alone (cancelled): the rest is still offered; none left, no offer.</summary>
    private void LeaveBundle(Guid memberOfferId)
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            if (_pending[i].Offer.Bundle is not { } members || !Array.Exists(members, m => m.OfferId == memberOfferId)) continue;
            var rest = Array.FindAll(members, m => m.OfferId != memberOfferId);
            if (rest.Length == 0) _pending.RemoveAt(i);
            else _pending[i] = _pending[i] with { Offer = _pending[i].Offer with { Bundle = rest } };
        }
    }

    /// <summary>After (re)connecting or a Redis outage, follow the server: drop jobs it no longer lists, resume those it still does.</summary>
    private void Reconcile(ActiveJob[] jobs, DateTimeOffset now)
    {
        _next.Clear();
        if (_job is { } current && !Array.Exists(jobs, j => j.OrderId == current.OrderId)) EndJob();
        if (_job is null && jobs.Length > 0) StartJob(jobs[0], now);
        _next.AddRange(jobs.Where(j => j.OrderId != _job?.OrderId));
    }

    private async Task DecideDueOffersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _pending.Count;)
        {
            var pending = _pending[i];
            if (now < pending.DueAt)
            {
                i++;
                continue;
            }
            _pending.RemoveAt(i);
            if (pending.Decision.Accept && _phase == CourierPhase.Idle)
            {
                AcceptResult? result = null;
                var outcome = await HubStep.RunAsync("AcceptOffer", async c => result = await Connection.AcceptOfferAsync(pending.Offer.OfferId, c), _context.Stats, printRejection: false, cancellationToken);
                if (outcome == StepOutcome.Done && result is not null)
                {
                    _context.Stats.Accepted();
                    StartJob(result.Job, now);
                    // A bundle: the other orders, same pickup, after this one.
                    _next.AddRange((result.Jobs ?? []).Where(j => j.OrderId != result.Job.OrderId));
                }
                else if (outcome == StepOutcome.Rejected)
                {
                    _context.Stats.AcceptLost(); // taken by someone else or expired while thinking
                }
            }
            else
            {
                var reason = pending.Decision.DeclineReason ?? CourierBehaviour.BusyReason;
                await HubStep.RunAsync("DeclineOffer", c => Connection.DeclineOfferAsync(pending.Offer.OfferId, reason, c), _context.Stats, printRejection: false, cancellationToken);
                _context.Stats.Declined();
            }
        }
    }

    private async Task AdvanceAsync(DateTimeOffset now, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        switch (_phase)
        {
            case CourierPhase.Idle:
                if (_mover.Arrived && _behaviour.WanderTarget(_mover.Position, _context.Area) is { } spot)
                    _mover.GoTo(spot, _cruiseSpeed * 0.5);
                _mover.Advance(elapsed);
                break;
            case CourierPhase.ToPickup when _job is { } job:
                _mover.Advance(elapsed);
                if (_mover.Arrived && now >= _waitUntil
                    && await StepAsync("ArrivedAtPickup", c => Connection.ArrivedAtPickupAsync(job.OrderId, c), now, flushFirst: true, cancellationToken))
                {
                    _phase = CourierPhase.AtPickup;
                    _waitUntil = now + _behaviour.PickupWait();
                    await AlongAsync("ArrivedAtPickup", OrderStatus.Accepted, OrderStatus.ArrivedAtPickup, job, (id, c) => Connection.ArrivedAtPickupAsync(id, c), cancellationToken);
                }
                break;
            case CourierPhase.AtPickup when _job is { } job:
                if (now >= _waitUntil
                    && await StepAsync("PickedUp", c => Connection.PickedUpAsync(job.OrderId, c), now, flushFirst: false, cancellationToken))
                {
                    _context.Stats.PickedUp();
                    await AlongAsync("PickedUp", OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp, job, (id, c) => Connection.PickedUpAsync(id, c), cancellationToken);
                    GoOnAfter(job, -1);
                }
                break;
            case CourierPhase.ToStop when _job is { } job:
                _mover.Advance(elapsed);
                var index = _stopIndex;
                if (_mover.Arrived && now >= _waitUntil
                    && await StepAsync("CompleteStop", c => Connection.CompleteStopAsync(job.OrderId, index, c), now, flushFirst: true, cancellationToken))
                {
                    GoOnAfter(job, index);
                }
                break;
            case CourierPhase.ToDropoff when _job is { } job:
                _mover.Advance(elapsed);
                // The simulator placed the order, so the "customer" knows its PIN.
                var pin = _context.Pins.Find(job.OrderId) ?? "0000";
                if (_mover.Arrived && now >= _waitUntil
                    && await StepAsync("Delivered", c => Connection.DeliveredAsync(job.OrderId, pin, c), now, flushFirst: true, cancellationToken))
                {
                    _context.Stats.DeliveredOne();
                    NextJob(now);
                }
                break;
        }
    }

    /// <summary>One order step, retried with backoff; the order is given up after repeated rejections.</summary>
    private async Task<bool> StepAsync(string name, Func<CancellationToken, Task> call, DateTimeOffset now, bool flushFirst, CancellationToken cancellationToken)
    {
        if (flushFirst)
        {
            // The server judges arrival by the last position it has: make sure it has this one.
            ReportFix(now);
            await Connection.FlushAsync(cancellationToken);
        }
        var outcome = await HubStep.RunAsync(name, call, _context.Stats, printRejection: true, cancellationToken);
        if (outcome == StepOutcome.Done)
        {
            _stepAttempts = 0;
            return true;
        }
        if (outcome == StepOutcome.Rejected && ++_stepAttempts >= MaxStepAttempts)
        {
            _context.Stats.Error(name, $"{Identity.Name} gives up order {_job?.OrderNumber} after {MaxStepAttempts} rejected attempts");
            NextJob(now);
            return false;
        }
        _waitUntil = now + TimeSpan.FromSeconds(2 * Math.Max(1, _stepAttempts));
        return false;
    }

    private void StartJob(ActiveJob job, DateTimeOffset now)
    {
        _job = job;
        _stepAttempts = 0;
        _waitUntil = now;
        var pickup = new LatLon(job.PickupLat, job.PickupLon);
        var dropoff = new LatLon(job.DropoffLat, job.DropoffLon);
        (_phase, var target) = job.Status switch
        {
            OrderStatus.ArrivedAtPickup => (CourierPhase.AtPickup, (LatLon?)null),
            OrderStatus.PickedUp or OrderStatus.InTransit or OrderStatus.ArrivedAtDropoff => (CourierPhase.ToDropoff, dropoff),
            _ => (CourierPhase.ToPickup, pickup),
        };
        if (_job?.OrderId != _route?.OrderId) _route = null;
        if (_phase == CourierPhase.ToDropoff) GoOnAfter(job, -1); // a multi-stop errand resumes at its first open stop
        else if (target is { } t) Steer(t);
        else _mover.Stop();
    }

    /// <summary>Drives on to the first stop after <paramref name="doneIndex"/> still to do, or to the drop-off.</summary>
    private void GoOnAfter(ActiveJob job, int doneIndex)
    {
        var next = job.Stops?.FirstOrDefault(s => s.Index > doneIndex && s.DoneAt is null);
        if (next is not null)
        {
            _phase = CourierPhase.ToStop;
            _stopIndex = next.Index;
            Steer(new LatLon(next.Lat, next.Lon));
            return;
        }
        _phase = CourierPhase.ToDropoff;
        Steer(new LatLon(job.DropoffLat, job.DropoffLon));
    }

    /// <summary>
    /// Drives to <paramref name="target"/>: along the planned road route when there is one that passes the courier and the
    /// target (as a courier following the app's navigation would), else in a straight line.
    /// </summary>
    private void Steer(LatLon target)
    {
        _target = target;
        if (_route?.Path is { Length: >= 2 } raw)
        {
            var path = Array.ConvertAll(raw, p => new LatLon(p[0], p[1]));
            var from = Nearest(path, _mover.Position, 0);
            var to = Nearest(path, target, from);
            if (GeoMath.DistanceMetres(path[from], _mover.Position) <= RouteSnapMetres && GeoMath.DistanceMetres(path[to], target) <= RouteSnapMetres)
            {
                _mover.GoAlong(path[from..(to + 1)], target, _cruiseSpeed);
                return;
            }
        }
        _mover.GoTo(target, _cruiseSpeed);
    }

    /// <summary>How far from the route the courier or the target may be for the route to be followed.</summary>
    private const double RouteSnapMetres = 150;

    private static int Nearest(LatLon[] path, LatLon point, int fromIndex)
    {
        var best = fromIndex;
        var bestMetres = double.MaxValue;
        for (var i = fromIndex; i < path.Length; i++)
        {
            var d = GeoMath.DistanceMetres(path[i], point);
            if (d < bestMetres) (best, bestMetres) = (i, d);
        }
        return best;
    }

    /// <summary>
    /// The same step for the orders in hand from the same pickup (a bundle's), as the courier is there anyway; one refused is
    /// left where it was (its own turn repeats the step).
    /// </summary>
    private async Task AlongAsync(string name, OrderStatus from, OrderStatus to, ActiveJob job, Func<Guid, CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _next.Count; i++)
        {
            var other = _next[i];
            if (other.Status != from || other.PickupLat != job.PickupLat || other.PickupLon != job.PickupLon) continue;
            var id = other.OrderId;
            if (await HubStep.RunAsync(name, c => step(id, c), _context.Stats, printRejection: true, cancellationToken) != StepOutcome.Done) continue;
            if (to == OrderStatus.PickedUp) _context.Stats.PickedUp();
            _next[i] = other with { Status = to };
        }
    }

    /// <summary>Ends the current job and starts the next order in hand, if any.</summary>
    private void NextJob(DateTimeOffset now)
    {
        EndJob();
        if (_next.Count == 0) return;
        var next = _next[0];
        _next.RemoveAt(0);
        StartJob(next, now);
    }

    private void EndJob()
    {
        _job = null;
        _route = null;
        _target = null;
        _phase = CourierPhase.Idle;
        _stepAttempts = 0;
        _mover.Stop();
    }

    private void ReportFix(DateTimeOffset now)
    {
        Connection.Report(_mover.ToFix(now, _behaviour.FixAccuracy()));
        _nextFixAt = now + _behaviour.NextFixInterval();
    }

    private readonly record struct PendingOffer(OfferMessage Offer, DateTimeOffset DueAt, OfferDecision Decision);
}
