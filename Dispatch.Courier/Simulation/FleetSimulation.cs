using System.Globalization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Runs a simulated fleet against a real server: places couriers in the zone, connects them at a steady rate,
/// lets them work, streams orders, prints progress every 10 s and a final summary when cancelled.
/// </summary>
internal sealed class FleetSimulation(DispatchApiClient api, Uri server, TextWriter output, TimeProvider time)
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan OfflineTimeout = TimeSpan.FromSeconds(5);

    public async Task RunAsync(
        IReadOnlyList<FleetCourier> fleet, ZoneInfo zone, string merchantToken, SimulationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(settings);
        if (fleet.Count == 0) throw new ArgumentException("The fleet is empty.", nameof(fleet));

        var random = settings.Seed is { } seed ? new Random(seed) : new Random();
        var area = new ZoneArea(zone.Bounds);
        var stats = new SimulationStats(output.WriteLine);
        var context = new SimulationContext(server, area, new PinBook(settings.PinFile), stats, time, output,
            (courierId, ct) => api.CreateDevTokenAsync("courier", courierId.ToString(), ct));
        // Child generators drawn in a fixed order, so one seed gives every courier the same choices each run.
        var couriers = fleet
            .Select(f => new SimulatedCourier(
                f, FleetMix.Pick(random, settings.Walkers), StartPoint(f, area, random), new CourierBehaviour(new Random(random.Next())), context))
            .ToList();
        // Tokens live TokenLifetimeHours (12 by default); a longer run renews the merchant's as it renews the couriers'.
        var merchant = new Client.RenewingToken(merchantToken, ct => api.CreateDevTokenAsync("merchant", MerchantSubject(merchantToken), ct), time);
        var orders = new OrderStream(api, merchant, settings.PaymentSecret, new OrderFactory(new Random(random.Next())), context);
        var started = time.GetTimestamp();
        try
        {
            // The first courier connects in the open: a refused token or a wrong URL ends the run with a clear error.
            await couriers[0].ConnectAsync(cancellationToken);
            output.WriteLine($"First courier {couriers[0].Identity.Name} is online; connecting the rest at {settings.ConnectionsPerSecond:0.#}/s.");
            var progress = ReportProgressAsync(couriers, stats, started, cancellationToken);
            using var ordering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.OrdersForSeconds is { } ordersFor) ordering.CancelAfter(TimeSpan.FromSeconds(ordersFor));
            var stream = orders.RunAsync(settings.OrdersPerMinute, ordering.Token, cancellationToken);
            var runs = await Stagger.StartAsync(couriers, settings.ConnectionsPerSecond, c => c.RunAsync(cancellationToken), time, cancellationToken);
            await Task.WhenAll(runs.Append(progress).Append(stream));
            output.WriteLine($"FINAL [{Elapsed(started)}] {Summary(couriers, stats)}");
        }
        finally
        {
            output.WriteLine("Going offline and disconnecting…");
            await Task.WhenAll(couriers.Select(StopAsync));
        }
    }

    /// <summary>
    /// Where a simulated courier starts: where the server last saw them (kept inside the area), so a demo run again soon
    /// after the last one resumes each courier there instead of jumping across town, which fix intake would refuse as an
    /// impossible speed for their first half-minute; a random point for a courier never seen. The random point is drawn
    /// either way, so a seed gives every courier the same later choices.
    /// </summary>
    internal static LatLon StartPoint(FleetCourier courier, ZoneArea area, Random random)
    {
        var anywhere = area.RandomPoint(random);
        return courier.LastLat is { } lat && courier.LastLon is { } lon ? area.Clamp(new LatLon(lat, lon)) : anywhere;
    }

    /// <summary>The merchant the run's token names (its <c>sub</c>), to renew the same merchant's token.</summary>
    private static string MerchantSubject(string token) => Client.RenewingToken.Subject(token) ?? "sim-merchant";

    private async Task ReportProgressAsync(List<SimulatedCourier> couriers, SimulationStats stats, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                output.WriteLine($"[{Elapsed(started)}] {Summary(couriers, stats)}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static string Summary(List<SimulatedCourier> couriers, SimulationStats stats)
    {
        var online = 0;
        long sent = 0, rejected = 0, dropped = 0;
        FixRejectionInfo? example = null;
        foreach (var courier in couriers)
        {
            if (courier.IsOnline) online++;
            sent += courier.Connection.FixesSent;
            rejected += courier.Connection.FixesRejected;
            dropped += courier.Connection.FixesDropped;
            if (example is null && courier.Connection.LastRejections is [var first, ..]) example = first;
        }
        var line = stats.Format(online, couriers.Count, sent, rejected, dropped);
        return example is null ? line : $"{line} | e.g. {example.Code}: {example.Reason}";
    }

    private string Elapsed(long started) =>
        time.GetElapsedTime(started).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static async Task StopAsync(SimulatedCourier courier)
    {
        using (var timeout = new CancellationTokenSource(OfflineTimeout))
        {
            await courier.GoOfflineAsync(timeout.Token);
        }
        await courier.DisposeAsync();
    }
}
