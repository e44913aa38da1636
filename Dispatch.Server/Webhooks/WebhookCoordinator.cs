using Dispatch.Core.Validation;
using Dispatch.Core.Webhooks;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Merchants' webhook endpoints and their delivery log: register (the secret made, shown once, stored encrypted), list,
/// delete, read the log, redeliver. A merchant reaches only its own; anything else is "not found", so another merchant's
/// endpoints cannot even be confirmed to exist. Refusals are logged and change nothing.
/// </summary>
internal sealed partial class WebhookCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    WebhookSecrets secrets,
    WebhookSender sender,
    IHostEnvironment environment,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookCoordinator> logger)
{
    /// <summary>Endpoints a merchant may have: enough for a shop and its back office, few enough that one event stays cheap.</summary>
    public const int MaxEndpointsPerMerchant = 10;

    public const int DefaultLogLimit = 50;

    public const int MaxLogLimit = 500;

    /// <summary>The longest a rotated secret keeps signing: a week, time enough for any receiver to switch.</summary>
    public const int MaxOverlapSeconds = 7 * 24 * 3600;

    public async Task<Outcome<RegisteredWebhook>> RegisterAsync(WebhookCaller caller, RegisterWebhookRequest request, CancellationToken ct)
    {
        if (WebhookUrlRules.Check(request.Url, environment.IsProduction()) is { } badUrl) return Refused(caller, Failure.BadRequest("url", badUrl));
        if (WebhookEventTypes.Check(request.Events) is { } badEvents) return Refused(caller, Failure.BadRequest("events", badEvents));
        string merchantId;
        if (caller.IsAdmin)
        {
            if (string.IsNullOrWhiteSpace(request.MerchantId))
                return Refused(caller, Failure.BadRequest("merchantId", "merchantId is required when an admin registers an endpoint: whose events it receives."));
            if (TextRules.Check("merchantId", request.MerchantId, 64) is { } badMerchant) return Refused(caller, Failure.BadRequest("merchantId", badMerchant));
            merchantId = request.MerchantId;
        }
        else
        {
            if (request.MerchantId is not null && request.MerchantId != caller.Subject)
                return Refused(caller, Failure.BadRequest("merchantId", "A merchant registers endpoints for itself: leave merchantId out."));
            merchantId = caller.Subject;
        }

        var secret = WebhookSecrets.NewSecret();
        var endpoint = new WebhookEndpointRecord
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            MerchantId = merchantId,
            Url = request.Url!,
            Events = [.. request.Events!.Distinct(StringComparer.Ordinal)!],
            SecretEncrypted = secrets.Protect(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.WebhookEndpoints.CountAsync(e => e.MerchantId == merchantId, ct) >= MaxEndpointsPerMerchant)
            return Refused(caller, Failure.Conflict($"A merchant may have at most {MaxEndpointsPerMerchant} webhook endpoints; delete one first."));
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        LogRegistered(logger, endpoint.Id, merchantId, caller.Actor, string.Join(",", endpoint.Events));
        return new RegisteredWebhook(endpoint.Id, merchantId, endpoint.Url, endpoint.Events, secret, endpoint.CreatedAt);
    }

    /// <summary>The caller's endpoints; an admin sees every merchant's, or <paramref name="merchantId"/>'s.</summary>
    public async Task<List<WebhookEndpointView>> ListAsync(WebhookCaller caller, string? merchantId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.WebhookEndpoints.AsNoTracking();
        if (!caller.IsAdmin) query = query.Where(e => e.MerchantId == caller.Subject);
        else if (merchantId is not null) query = query.Where(e => e.MerchantId == merchantId);
        var endpoints = await query.OrderBy(e => e.MerchantId).ThenBy(e => e.CreatedAt).ToListAsync(ct);
        return [.. endpoints.Select(e => new WebhookEndpointView(e.Id, e.MerchantId, e.Url, e.Events, e.CreatedAt))];
    }

    /// <summary>
    /// Gives the endpoint a new secret (shown only in the answer); the old one keeps signing beside it for the overlap
    /// (<paramref name="overlapSeconds"/>, or Webhooks:SecretOverlapSeconds). One statement moves the stored secret to
    /// "previous", so a secret from before an earlier rotation stops signing at once.
    /// </summary>
    public async Task<Outcome<RotatedSecret>> RotateSecretAsync(WebhookCaller caller, Guid id, int? overlapSeconds, CancellationToken ct)
    {
        var overlap = overlapSeconds ?? options.Value.SecretOverlapSeconds;
        if (overlap is < 0 or > MaxOverlapSeconds)
            return Refused(caller, Failure.BadRequest("overlapSeconds", $"overlapSeconds must be between 0 and {MaxOverlapSeconds} (a week)."));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null || !caller.MaySee(endpoint.MerchantId)) return Refused(caller, EndpointNotFound(id));
        var secret = WebhookSecrets.NewSecret();
        var encrypted = secrets.Protect(secret);
        var until = clock.GetUtcNow().AddSeconds(overlap);
        var rows = await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.PreviousSecretEncrypted, e => e.SecretEncrypted)
            .SetProperty(e => e.PreviousSecretUntil, until)
            .SetProperty(e => e.SecretEncrypted, encrypted), ct);
        if (rows == 0) return Refused(caller, EndpointNotFound(id)); // deleted meanwhile
        LogRotated(logger, id, endpoint.MerchantId, caller.Actor, until);
        return new RotatedSecret(id, secret, until);
    }

    /// <summary>Deletes the endpoint and its log; what was queued for it is not sent.</summary>
    public async Task<Failure?> DeleteAsync(WebhookCaller caller, Guid id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null || !caller.MaySee(endpoint.MerchantId)) return Refused(caller, EndpointNotFound(id));
        // The endpoint first: its row lock waits for a queuing that holds it (WebhookConsumer), and the second statement, a
        // newer snapshot, then sees what that queued. No foreign key cascades (the per-row check cost the consumer).
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
            await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        LogDeleted(logger, id, endpoint.MerchantId, caller.Actor);
        return null;
    }

    /// <summary>The endpoint's deliveries, newest first, optionally of one state.</summary>
    public async Task<Outcome<List<WebhookDeliveryView>>> DeliveriesAsync(WebhookCaller caller, Guid endpointId, string? state, int? limit, CancellationToken ct)
    {
        WebhookDeliveryState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<WebhookDeliveryState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
                return Refused(caller, Failure.BadRequest("state", "state must be one of pending, delivered, dead."));
            wanted = parsed;
        }
        var take = limit ?? DefaultLogLimit;
        if (take is < 1 or > MaxLogLimit) return Refused(caller, Failure.BadRequest("limit", $"limit must be between 1 and {MaxLogLimit}."));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null || !caller.MaySee(endpoint.MerchantId)) return Refused(caller, EndpointNotFound(endpointId));
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (wanted is { } s) query = query.Where(d => d.State == s);
        var rows = await query.OrderByDescending(d => d.Id).Take(take).ToListAsync(ct);
        return rows.Select(WebhookDeliveryView.Of).ToList();
    }

    /// <summary>Puts a dead or delivered delivery back in the queue, due now, with its attempts counted afresh.</summary>
    public async Task<Outcome<WebhookDeliveryView>> RedeliverAsync(WebhookCaller caller, long deliveryId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await (from d in db.WebhookDeliveries.AsNoTracking()
                           join e in db.WebhookEndpoints.AsNoTracking() on d.EndpointId equals e.Id
                           where d.Id == deliveryId
                           select new { Delivery = d, e.MerchantId }).FirstOrDefaultAsync(ct);
        if (found is null || !caller.MaySee(found.MerchantId))
            return Refused(caller, Failure.NotFound($"Webhook delivery {deliveryId} does not exist."));
        var now = clock.GetUtcNow();
        // Conditional on the state read: a delivery being sent (pending) is not touched, so it is never claimed twice.
        var rows = await db.WebhookDeliveries.Where(d => d.Id == deliveryId && d.State != WebhookDeliveryState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, WebhookDeliveryState.Pending).SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.LeasedUntil, (DateTimeOffset?)null), ct);
        if (rows == 0)
            return Refused(caller, Failure.Conflict($"Webhook delivery {deliveryId} is already queued (pending); it is sent without a redelivery."));
        LogRedelivered(logger, deliveryId, found.Delivery.EventId, found.Delivery.State.ToString(), caller.Actor);
        sender.Wake();
        var again = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == deliveryId, ct);
        return WebhookDeliveryView.Of(again);
    }

    private static Failure EndpointNotFound(Guid id) => Failure.NotFound($"Webhook endpoint {id} does not exist.");

    private Failure Refused(WebhookCaller caller, Failure failure)
    {
        LogRefused(logger, caller.Actor, failure.StatusCode, failure.Field ?? "", failure.Detail);
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} registered for merchant {MerchantId} by {Actor} (events {Events})")]
    private static partial void LogRegistered(ILogger logger, Guid endpointId, string merchantId, string actor, string events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} of merchant {MerchantId}: secret rotated by {Actor}; the old one signs too until {Until:O}")]
    private static partial void LogRotated(ILogger logger, Guid endpointId, string merchantId, string actor, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} of merchant {MerchantId} deleted by {Actor}")]
    private static partial void LogDeleted(ILogger logger, Guid endpointId, string merchantId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} (event {EventId}, was {State}) queued again by {Actor}")]
    private static partial void LogRedelivered(ILogger logger, long deliveryId, Guid eventId, string state, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook request by {Actor} refused ({Status}, field '{Field}'): {Reason}")]
    private static partial void LogRefused(ILogger logger, string actor, int status, string field, string reason);
}
