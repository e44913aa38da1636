using System.Globalization;
using System.Threading.Channels;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Courier.Api;
using Dispatch.Courier.Client;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Courier.Cli;

/// <summary>
/// <c>run</c>: one real courier. Goes online, reports a fix every 2 s from a fixed position and prints offers.
/// With <c>--auto-accept</c> it accepts them and prints the job; otherwise it only shows what to call.
/// </summary>
internal static class RunCommand
{
    private static readonly TimeSpan FixInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> ExecuteAsync(CliArgs args, Uri server, CancellationToken cancellationToken)
    {
        var token = args.Require("token", "a courier bearer token (in Development: POST /dev/fleet or POST /dev/token with role courier).");
        var lat = args.GetDouble("lat", -90, 90);
        var lon = args.GetDouble("lon", -180, 180);
        var equipment = args.GetEnum("equipment", Equipment.None);
        var vehicle = args.GetEnum("vehicle", Vehicle.Bicycle);
        var capacity = args.GetInt("capacity", 1, 1, 20);
        var autoAccept = args.GetFlag("auto-accept");
        args.EnsureAllRead();
        if (lat.HasValue != lon.HasValue) throw new CliUsageException("Give both --lat and --lon, or neither (then the first zone's centre is used).");

        var position = lat is { } la && lon is { } lo ? new LatLon(la, lo) : await FirstZoneCentreAsync(server, cancellationToken);
        var time = TimeProvider.System;
        await using var connection = new CourierConnection(server, token);
        connection.StateChanged += (_, state) => Console.WriteLine($"connection: {state}");
        connection.SessionRestored += (_, session) => Console.WriteLine($"back online as {session.Name}; {session.ActiveJobs.Length} active job(s)");
        var toAccept = Channel.CreateUnbounded<OfferMessage>();
        connection.OnOfferReceived(offer =>
        {
            PrintOffer(offer, autoAccept);
            if (autoAccept) toAccept.Writer.TryWrite(offer);
            return Task.CompletedTask;
        });
        connection.OnOfferWithdrawn(m => Print($"OFFER WITHDRAWN {m.OfferId} (order {m.OrderId}): {m.Reason}"));
        connection.OnOrderCancelled(m => Print($"ORDER {(m.Failed ? "FAILED" : "CANCELLED")} {m.OrderId}: {m.Reason}"));
        connection.OnJobAssigned(m => Print($"ASSIGNED TO YOU {m.Job.OrderNumber} ({m.Job.OrderId}): {m.Reason}"));
        connection.OnOrderReassigned(m => Print($"ORDER MOVED AWAY {m.OrderNumber} ({m.OrderId}): {m.Reason}"));
        connection.OnJobsInHand(m => Print($"JOBS IN HAND AFTER A SERVER GAP: {(m.Jobs.Length == 0 ? "none" : string.Join(", ", m.Jobs.Select(j => j.OrderNumber)))}"));

        Console.WriteLine($"Connecting to {connection.HubUrl} …");
        await connection.StartAsync(cancellationToken);
        var session = await connection.GoOnlineAsync(new GoOnlineRequest(equipment, vehicle, capacity), cancellationToken);
        Console.WriteLine($"Online as {session.Name} ({session.CourierId}) at {position} with {CliArgs.CamelCase(equipment.ToString())}, "
            + $"{CliArgs.CamelCase(vehicle.ToString())}, capacity {capacity}; {session.ActiveJobs.Length} active job(s).");
        foreach (var job in session.ActiveJobs) PrintJob(job);
        Console.WriteLine($"Reporting a fix every {FixInterval.TotalSeconds:0} s. Ctrl-C to go offline.");

        var acceptLoop = autoAccept ? AcceptLoopAsync(connection, toAccept.Reader, cancellationToken) : Task.CompletedTask;
        var rejectedSeen = 0L;
        using (var timer = new PeriodicTimer(FixInterval, time))
        {
            try
            {
                do
                {
                    connection.Report(new LocationFix(time.GetUtcNow(), position.Lat, position.Lon, 5, 0, 0));
                    if (connection.FixesRejected > rejectedSeen)
                    {
                        rejectedSeen = connection.FixesRejected;
                        var reasons = string.Join("; ", connection.LastRejections.Select(r => $"{r.Code}: {r.Reason}"));
                        Console.WriteLine($"fixes rejected so far: {rejectedSeen} (last: {(reasons.Length > 0 ? reasons : connection.LastError)})");
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
        await acceptLoop;
        await GoOfflineAsync(connection);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fixes sent {connection.FixesSent}, accepted {connection.FixesAccepted}, rejected {connection.FixesRejected}, "
            + $"dropped {connection.FixesDropped}, still buffered {connection.FixesBuffered}."));
        return CliApp.Ok;
    }

    private static async Task<LatLon> FirstZoneCentreAsync(Uri server, CancellationToken cancellationToken)
    {
        using var api = new DispatchApiClient(server);
        var zones = await api.GetZonesAsync(cancellationToken);
        if (zones.Count == 0) throw new CommandFailedException("The server has no zones; pass --lat and --lon.");
        Console.WriteLine($"No --lat/--lon: starting at the centre of zone '{zones[0].Name}'.");
        return zones[0].Centre;
    }

    private static async Task AcceptLoopAsync(CourierConnection connection, ChannelReader<OfferMessage> offers, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var offer in offers.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var result = await connection.AcceptOfferAsync(offer.OfferId, cancellationToken);
                    Console.WriteLine($"ACCEPTED offer {offer.OfferId}");
                    PrintJob(result.Job);
                }
                catch (HubException ex)
                {
                    Console.WriteLine($"could not accept offer {offer.OfferId}: {ex.Message}");
                }
                catch (InvalidOperationException ex)
                {
                    Console.WriteLine($"could not accept offer {offer.OfferId} (not connected): {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task GoOfflineAsync(CourierConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await connection.FlushAsync(timeout.Token);
            await connection.GoOfflineAsync(timeout.Token);
            Console.WriteLine("Offline.");
        }
        catch (Exception ex) when (ex is HubException or InvalidOperationException or OperationCanceledException or IOException)
        {
            Console.WriteLine($"Could not go offline cleanly ({ex.Message}); the server will mark the courier stale.");
        }
    }

    private static void PrintOffer(OfferMessage o, bool autoAccept)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OFFER {o.OfferId} order {o.OrderNumber} ({CliArgs.CamelCase(o.Kind.ToString())}), {o.DistanceToPickupMetres:0} m to pickup, expires {o.ExpiresAt:HH:mm:ss}"));
        Console.WriteLine($"  pickup   {o.PickupAddress} ({new LatLon(o.PickupLat, o.PickupLon)})");
        Console.WriteLine($"  drop-off {o.DropoffAddress} ({new LatLon(o.DropoffLat, o.DropoffLon)}), promised by {o.PromisedAt:HH:mm}");
        Console.WriteLine(autoAccept
            ? "  accepting (--auto-accept) …"
            : $"  to take it call AcceptOffer(\"{o.OfferId}\") on {HubPaths.Courier}, or DeclineOffer(\"{o.OfferId}\", reason); run with --auto-accept to accept automatically.");
    }

    private static void PrintJob(ActiveJob job)
    {
        Console.WriteLine($"JOB order {job.OrderNumber} ({job.OrderId}) {job.Status}: pickup {job.PickupAddress} ({new LatLon(job.PickupLat, job.PickupLon)}) "
            + $"→ drop-off {job.DropoffAddress} ({new LatLon(job.DropoffLat, job.DropoffLon)}), customer {job.CustomerPhoneMasked}");
        Console.WriteLine($"  next: ArrivedAtPickup(\"{job.OrderId}\"), PickedUp(\"{job.OrderId}\"), Delivered(\"{job.OrderId}\", pin)");
    }

    private static Task Print(string line)
    {
        Console.WriteLine(line);
        return Task.CompletedTask;
    }
}
