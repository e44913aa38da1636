using System.Globalization;
using Dispatch.Courier.Api;
using Dispatch.Courier.Simulation;

namespace Dispatch.Courier.Cli;

/// <summary>
/// <c>simulate</c>: a fleet from <c>/dev/fleet</c> that behaves like people, plus a stream of paid orders from a
/// development merchant. Runs until Ctrl-C or <c>--duration</c>.
/// </summary>
internal static class SimulateCommand
{
    public static async Task<int> ExecuteAsync(CliArgs args, Uri server, CancellationToken cancellationToken)
    {
        var couriers = args.GetInt("couriers", 20, 1, 100_000);
        var ordersPerMinute = args.GetDouble("orders-per-minute", 0, 60_000) ?? 6;
        var duration = args.GetIntOrNull("duration", 1, 7 * 24 * 3600);
        var paymentSecret = args.GetString("payment-secret") ?? Environment.GetEnvironmentVariable(PaymentSignature.SecretEnvironmentVariable);
        var seed = args.GetIntOrNull("seed", int.MinValue, int.MaxValue);
        var connectionsPerSecond = args.GetDouble("connections-per-second", 0.1, 10_000) ?? 50;
        var prefix = args.GetString("prefix") ?? "sim";
        var pinFile = args.GetString("pins");
        var ordersFor = args.GetIntOrNull("orders-for", 0, 7 * 24 * 3600);
        var walkers = !args.GetFlag("no-walkers");
        args.EnsureAllRead();
        if (string.IsNullOrEmpty(paymentSecret)) paymentSecret = null;

        using var api = new DispatchApiClient(server);
        var zone = await FirstZoneAsync(api, cancellationToken);
        var fleet = await api.CreateDevFleetAsync(couriers, prefix, cancellationToken);
        if (fleet.Count == 0) throw new CommandFailedException($"POST /dev/fleet returned no couriers for {couriers} requested.");
        var merchantToken = await api.CreateDevTokenAsync("merchant", $"{prefix}-merchant", cancellationToken);

        var until = duration is { } d ? $"for {d} s" : "until Ctrl-C";
        var seeded = seed is { } s ? $", seed {s}" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Simulating {fleet.Count} couriers in zone '{zone.Name}' with {ordersPerMinute:0.##} orders/min {until}{seeded}."));
        if (paymentSecret is null)
        {
            Console.WriteLine($"warning: no payment secret (--payment-secret or {PaymentSignature.SecretEnvironmentVariable}); "
                + "orders stay unpaid and will not be dispatched.");
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } seconds) run.CancelAfter(TimeSpan.FromSeconds(seconds));
        var settings = new SimulationSettings(ordersPerMinute, connectionsPerSecond, seed, paymentSecret, pinFile, ordersFor, walkers);
        var simulation = new FleetSimulation(api, server, Console.Out, TimeProvider.System);
        await simulation.RunAsync(fleet, zone, merchantToken, settings, run.Token);
        return CliApp.Ok;
    }

    internal static async Task<ZoneInfo> FirstZoneAsync(DispatchApiClient api, CancellationToken cancellationToken)
    {
        var zones = await api.GetZonesAsync(cancellationToken);
        return zones.Count > 0
            ? zones[0]
            : throw new CommandFailedException("The server reports no zones (GET /api/zones is empty); configure at least one zone.");
    }
}
