using System.Diagnostics;
using System.Globalization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Auth;
using Dispatch.Server.ControlRoom;
using Dispatch.Server.Tracking;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Bench.Scale;

/// <summary>
/// <c>fanout [--customers 2000] [--boards 20] [--board-couriers 50] [--seconds 10] [--senders 4] [--runs 2] [--second-node-percent 0]</c>
/// (infra/bench-fanout.sh): live updates from the server to real WebSocket clients, with the SignalR Redis
/// backplane (as shipped) and with SignalR's in-process lifetime manager instead, alternating, on one scratch database.
/// Customers each track their own order, joined and pushed to through the server's <see cref="TrackingSender"/> (as
/// <see cref="TrackingHub"/>.Subscribe joins them and <see cref="CustomerPushes"/> sends one <c>CourierMoved</c> per push);
/// with <c>--second-node-percent P</c>, P % of them are on a second node in the same process (backplane runs only: without
/// the backplane nothing crosses nodes), so their pushes cross Redis; boards all watch one zone (group <c>board:monaco</c>, one <c>Frame</c> of
/// N couriers per push, as <see cref="BoardFrames"/> sends). Senders push as fast as the server takes them, customers for the window and then boards for the window;
/// deliveries are counted by the clients (invocations received) until the last one lands. Prints FANOUT lines.
/// </summary>
public static class FanOutBenchmark
{
    private const string Tag = "[bench-fanout]";
    private const string Zone = "monaco";
    private const int InFlight = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var o = new BenchArgs(args);
        var customers = o.Number("customers", 2_000);
        var boards = o.Number("boards", 20);
        var boardCouriers = o.Number("board-couriers", 50);
        var seconds = o.Number("seconds", 10);
        var senders = o.Number("senders", 4);
        var runs = o.Number("runs", 2);
        var remotePercent = o.Number("second-node-percent", 0, min: 0);
        o.EnsureAllKnown();
        if (remotePercent is < 0 or > 100) throw new ArgumentException("--second-node-percent must be 0 to 100");

        var scratch = new ScratchServer("fanout");
        await scratch.CreateDatabaseAsync();
        Console.WriteLine($"{Tag} scratch database {scratch.Database}; {customers} customers, {boards} boards ({boardCouriers} couriers a frame), {seconds} s a run, {senders} customer senders + 1 board sender; backplane runs with {remotePercent} % of the customers on a second node");
        var results = new List<RunResult>();
        try
        {
            for (var run = 0; run < runs; run++)
            {
                foreach (var backplane in new[] { false, true })
                {
                    var result = await RunOnceAsync(scratch, backplane, customers, boards, boardCouriers, TimeSpan.FromSeconds(seconds), senders, backplane ? remotePercent : 0);
                    results.Add(result);
                    Console.WriteLine(Fmt($"FANOUT run={run + 1} hubs={result.Mode} customers_per_s={result.CustomerRate:F0} boards_per_s={result.BoardRate:F0} total_per_s={result.Delivered / result.Seconds:F0} customer_lost={result.CustomerLost} board_lost={result.BoardLost} customer_bytes={result.CustomerBytes} frame_bytes={result.FrameBytes}"));
                }
            }
        }
        finally
        {
            await scratch.DropAsync();
            Console.WriteLine($"{Tag} scratch database dropped");
        }
        var local = results.Where(r => r.Mode == "local").ToList();
        var redis = results.Where(r => r.Mode == "backplane").ToList();
        double Mean(List<RunResult> rs, Func<RunResult, double> f) => rs.Average(f);
        static double Total(RunResult r) => r.Delivered / r.Seconds;
        var ratio = Mean(redis, Total) / Mean(local, Total);
        Console.WriteLine(Fmt($"SUMMARY backplane total {Mean(redis, Total):F0}/s (customers {Mean(redis, r => r.CustomerRate):F0}, boards {Mean(redis, r => r.BoardRate):F0}); in-process {Mean(local, Total):F0}/s (customers {Mean(local, r => r.CustomerRate):F0}, boards {Mean(local, r => r.BoardRate):F0}); ratio {ratio:F2} (goal >= 0.8); customers ratio {Mean(redis, r => r.CustomerRate) / Mean(local, r => r.CustomerRate):F2}, boards ratio {Mean(redis, r => r.BoardRate) / Mean(local, r => r.BoardRate):F2}"));
        return 0;
    }

    private static async Task<RunResult> RunOnceAsync(ScratchServer scratch, bool backplane, int customers, int boards, int boardCouriers, TimeSpan window, int senders,
        int remotePercent)
    {
        var mode = backplane ? "backplane" : "local";
        var app = await scratch.StartAsync(backplane);
        var second = remotePercent > 0 ? await scratch.StartAsync(backplane) : null;
        var customerCount = new DeliveryCounter();
        var boardCount = new DeliveryCounter();
        var sockets = new List<RawHubSocket>();
        using var addresses = new SourceAddresses(1);
        try
        {
            var server = ScratchServer.Address(app);
            var tracking = app.Services.GetRequiredService<TrackingSender>();
            var control = app.Services.GetRequiredService<IHubContext<ControlRoomHub, IControlRoomClient>>();
            var issuer = app.Services.GetRequiredService<TokenIssuer>();
            var orders = new Guid[customers];
            for (var i = 0; i < customers; i++)
            {
                // Every hundred customers, the first P watch through the second node.
                var node = second is not null && i % 100 < remotePercent ? second : app;
                var socket = await RawHubSocket.NegotiateAsync(new Uri(ScratchServer.Address(node), "/hubs/tracking"), null, addresses.For(i), customerCount, CancellationToken.None);
                sockets.Add(socket);
                orders[i] = Guid.NewGuid();
                await node.Services.GetRequiredService<TrackingSender>().WatchAsync(socket.ConnectionId!, orders[i], CancellationToken.None);
            }
            for (var i = 0; i < boards; i++)
            {
                var token = issuer.Issue($"bench-board-{i}", Roles.Dispatcher);
                var socket = await RawHubSocket.NegotiateAsync(new Uri(server, "/hubs/control"), token, addresses.For(i), boardCount, CancellationToken.None);
                sockets.Add(socket);
                await control.Groups.AddToGroupAsync(socket.ConnectionId!, ControlRoomHub.Group(Zone));
            }
            var frame = Frame(boardCouriers);
            var position = CustomerView.Position(orders[0], OrderStatus.PickedUp, new LatLon(43.7384, 7.4246), DateTimeOffset.UtcNow, 420);

            // Warm-up: one push to every client, all of them delivered, before the clock starts.
            await Task.WhenAll(orders.Select(id => tracking.SendAsync(id, c => c.CourierMoved(position with { OrderId = id }))));
            await control.Clients.Group(ControlRoomHub.Group(Zone)).Frame(frame);
            await WaitForAsync(() => customerCount.Count >= customers && boardCount.Count >= boards, TimeSpan.FromSeconds(30));
            var customerBase = customerCount.Count;
            long sentCustomers, sentFrames;
            var boardBase = boardCount.Count;

            // Customers alone for the window, then boards alone: each kind's rate is its own, not a share of the CPU.
            var started = Stopwatch.GetTimestamp();
            using (var stop = new CancellationTokenSource(window))
            {
                var sends = Enumerable.Range(0, senders).Select(s => Task.Run(() => PushCustomersAsync(tracking, orders, s, senders, position, stop.Token))).ToArray();
                sentCustomers = (await Task.WhenAll(sends)).Sum();
            }
            await WaitForAsync(() => customerCount.Count - customerBase >= sentCustomers, TimeSpan.FromSeconds(30), () => customerCount.LastAt);
            var customerSeconds = Stopwatch.GetElapsedTime(started, customerCount.LastAt).TotalSeconds;
            var customersDelivered = customerCount.Count - customerBase;

            started = Stopwatch.GetTimestamp();
            using (var stop = new CancellationTokenSource(window))
            {
                var sends = Enumerable.Range(0, senders).Select(_ => Task.Run(() => PushFramesAsync(control, frame, stop.Token))).ToArray();
                sentFrames = (await Task.WhenAll(sends)).Sum();
            }
            await WaitForAsync(() => boardCount.Count - boardBase >= sentFrames * boards, TimeSpan.FromSeconds(30), () => boardCount.LastAt);
            var boardSeconds = Stopwatch.GetElapsedTime(started, boardCount.LastAt).TotalSeconds;
            var boardsDelivered = boardCount.Count - boardBase;
            var expectedCustomers = sentCustomers;
            var expectedBoards = sentFrames * boards;
            Console.WriteLine(Fmt($"{Tag} {mode}: {sentCustomers} customer pushes sent, {customersDelivered} delivered in {customerSeconds:F1} s; {sentFrames} frames sent to {boards} boards, {boardsDelivered} delivered in {boardSeconds:F1} s"));
            return new RunResult(mode, customersDelivered / customerSeconds, boardsDelivered / boardSeconds, customersDelivered + boardsDelivered, customerSeconds + boardSeconds, expectedCustomers - customersDelivered,
                expectedBoards - boardsDelivered, JsonBytes(position), JsonBytes(frame));
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask()));
            if (second is not null) await scratch.StopAsync(second);
            await scratch.StopAsync(app);
        }
    }

    private static async Task<long> PushCustomersAsync(TrackingSender tracking, Guid[] orders, int sender, int senders,
        CourierPosition position, CancellationToken stop)
    {
        var sent = 0L;
        var pending = new List<Task>(InFlight);
        while (!stop.IsCancellationRequested)
        {
            for (var i = sender; i < orders.Length && !stop.IsCancellationRequested; i += senders)
            {
                var message = position with { OrderId = orders[i] };
                pending.Add(tracking.SendAsync(orders[i], c => c.CourierMoved(message)));
                sent++;
                if (pending.Count < InFlight) continue;
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        return sent;
    }

    private static async Task<long> PushFramesAsync(IHubContext<ControlRoomHub, IControlRoomClient> control, BoardFrame frame, CancellationToken stop)
    {
        var sent = 0L;
        while (!stop.IsCancellationRequested)
        {
            await control.Clients.Group(ControlRoomHub.Group(Zone)).Frame(frame with { At = DateTimeOffset.UtcNow });
            sent++;
        }
        return sent;
    }

    private static BoardFrame Frame(int couriers)
    {
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        return new BoardFrame(Zone, now, [.. Enumerable.Range(0, couriers).Select(i =>
            new BoardCourier(Guid.NewGuid(), 43.72 + random.NextDouble() * 0.03, 7.41 + random.NextDouble() * 0.03, now, CourierActivity.Idle, i % 3, $"Courier {i}"))]);
    }

    /// <summary>Waits for <paramref name="done"/>, or until nothing has arrived for 3 s (by <paramref name="lastAt"/>), or the limit.</summary>
    private static async Task WaitForAsync(Func<bool> done, TimeSpan limit, Func<long>? lastAt = null)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit)
        {
            if (lastAt is not null && lastAt() != 0 && Stopwatch.GetElapsedTime(lastAt()) > TimeSpan.FromSeconds(3)) return;
            await Task.Delay(20);
        }
        if (!done() && lastAt is null) throw new TimeoutException($"the warm-up pushes did not all arrive within {limit.TotalSeconds} s");
    }

    private static int JsonBytes<T>(T value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value).Length;

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record RunResult(string Mode, double CustomerRate, double BoardRate, long Delivered, double Seconds, long CustomerLost, long BoardLost, int CustomerBytes, int FrameBytes);
}
