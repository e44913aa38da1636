using System.Security.Claims;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Payments;

/// <summary>
/// Payments over HTTP: start a payment of an order, its history, a dispatcher's refund, and the providers' notification
/// endpoints (anonymous: trust comes from each provider's signature, checked by its adapter).
/// </summary>
internal static partial class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders/{id:guid}");
        orders.MapPost("payments", StartAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Admin)).WithBodyLimit(BodyLimits.PaymentCallback);
        orders.MapGet("payments", HistoryAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Dispatcher, Roles.Admin))
            .AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Order));
        orders.MapPost("refunds", RefundAsync).RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin)).WithBodyLimit(BodyLimits.PaymentCallback)
            .AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Order));

        var notify = app.MapGroup("/api/payments").AllowAnonymous().WithBodyLimit(BodyLimits.PaymentCallback).RequireRateLimiting(RateLimits.PaymentCallbacks);
        notify.MapPost("callback", PaymentsCallback.HandleAsync);
        notify.MapPost("wechat/notify", WeChatNotifyAsync);
        notify.MapPost("alipay/notify", AlipayNotifyAsync);
        notify.MapPost("sandbox/{paymentId:guid}/{result:regex(^(pay|fail)$)}", SandboxAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(Guid id, StartPaymentRequest? request, HttpContext http, ClaimsPrincipal user, PaymentCoordinator payments, CancellationToken ct)
    {
        if (request is null) return Failure.BadRequest("body", "Send {\"provider\": \"sandbox\"} (or wechat, alipay) as JSON.").ToProblem();
        var scope = user.IsInRole(Roles.Admin) ? null : user.FindFirstValue("sub") ?? "";
        var outcome = await payments.StartAsync(id, scope, request, http.Connection.RemoteIpAddress?.ToString(), ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    /// <summary>Body of POST /api/orders/{id}/refunds.</summary>
    public sealed record RefundRequest(int? AmountCents, string? Reason);

    private static async Task<IResult> RefundAsync(Guid id, RefundRequest? request, ClaimsPrincipal user, HttpContext http, RefundCoordinator refunds, CancellationToken ct)
    {
        var role = user.IsInRole(Roles.Admin) ? Roles.Admin : Roles.Dispatcher;
        var outcome = await refunds.RequestAsync(id, request?.AmountCents, request?.Reason, $"{role}:{user.FindFirstValue("sub")}", Audit.AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Accepted($"/api/orders/{id}/payments", new { refundId = outcome.Value }) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> HistoryAsync(Guid id, ClaimsPrincipal user, IDbContextFactory<DispatchDbContext> dbs, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var merchant = user.IsInRole(Roles.Merchant) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Dispatcher) ? user.FindFirstValue("sub") : null;
        // Live first, then the archive: the archival moves an order's payments and refunds with it.
        var archived = !await db.Orders.AnyAsync(o => o.Id == id && (merchant == null || o.MerchantId == merchant), ct);
        if (archived && !await Archive.ArchivedOrders.Orders(db).AnyAsync(o => o.Id == id && (merchant == null || o.MerchantId == merchant), ct))
            return Failure.NotFound($"Order {id} does not exist.").ToProblem();
        var rows = await (archived ? Archive.ArchivedOrders.Payments(db) : db.Payments).AsNoTracking().Where(p => p.OrderId == id).OrderBy(p => p.At)
            .Select(p => new PaymentRowView(p.Id, p.PaymentId, p.Kind, p.Provider, p.Outcome, p.AmountCents, p.Currency, p.Detail, p.At)).ToListAsync(ct);
        var refunds = await PaymentViews.RefundsAsync(archived ? Archive.ArchivedOrders.Refunds(db) : db.Refunds, id, ct);
        return Results.Ok(new { payments = rows, refunds });
    }

    private static async Task<IResult> WeChatNotifyAsync(HttpContext http, PaymentProviders providers, PaymentCoordinator payments, ILoggerFactory loggers, CancellationToken ct)
    {
        var outcome = await NotifyAsync(http, providers.Find(WeChatPayProvider.ProviderName), payments, loggers, ct);
        // WeChat Pay retries until it gets a 2xx; a refused signature or an unknown payment answers FAIL with a reason.
        return outcome is null ? Results.NoContent() : Results.Json(new { code = "FAIL", message = outcome.Detail }, statusCode: outcome.StatusCode);
    }

    private static async Task<IResult> AlipayNotifyAsync(HttpContext http, PaymentProviders providers, PaymentCoordinator payments, ILoggerFactory loggers, CancellationToken ct)
    {
        var outcome = await NotifyAsync(http, providers.Find(AlipayProvider.ProviderName), payments, loggers, ct);
        // Alipay stops retrying when the body is "success"; anything else is tried again later.
        return outcome is null ? Results.Text("success") : Results.Text("failure", statusCode: outcome.StatusCode);
    }

    /// <summary>Null when the notification was taken (applied, or recorded as a mismatch: retrying would not change it).</summary>
    private static async Task<Failure?> NotifyAsync(HttpContext http, IPaymentProvider? provider, PaymentCoordinator payments, ILoggerFactory loggers, CancellationToken ct)
    {
        if (provider is null) return Failure.NotFound("This payment provider is not switched on.");
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return await ApplyAsync(provider, headers, buffer.ToArray(), payments, loggers.CreateLogger("Dispatch.Payments"), http.Connection.RemoteIpAddress?.ToString(), ct);
    }

    private static async Task<IResult> SandboxAsync(Guid paymentId, string result, long? amount, string? currency, string? token,
        HttpContext http, PaymentProviders providers, PaymentCoordinator payments, ILoggerFactory loggers, CancellationToken ct)
    {
        var provider = providers.Find(SandboxProvider.ProviderName);
        if (provider is null) return Failure.NotFound("The sandbox payment provider is not switched on here.").ToProblem();
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new SandboxProvider.SandboxNotice(paymentId, result, amount ?? -1, currency, token));
        var failure = await ApplyAsync(provider, new Dictionary<string, string>(), body, payments, loggers.CreateLogger("Dispatch.Payments"), http.Connection.RemoteIpAddress?.ToString(), ct);
        return failure is null ? Results.Ok(new { paymentId, result }) : failure.ToProblem();
    }

    private static async Task<Failure?> ApplyAsync(IPaymentProvider provider, IReadOnlyDictionary<string, string> headers, byte[] body, PaymentCoordinator payments,
        ILogger logger, string? remote, CancellationToken ct)
    {
        ProviderResult<PaymentNotice> read;
        try
        {
            read = provider.ReadNotification(headers, body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            read = new ProviderError($"The notification could not be read: {ex.Message}");
        }
        if (!read.Ok)
        {
            LogRefused(logger, provider.Name, remote ?? "?", read.Error!);
            return new Failure(StatusCodes.Status401Unauthorized, "Invalid notification", read.Error!);
        }
        var applied = await payments.ApplyNoticeAsync(provider.Name, read.Value!, ct);
        if (applied.Ok || applied.Failure!.StatusCode == StatusCodes.Status422UnprocessableEntity) return null;
        return applied.Failure;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment notification for {Provider} from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string remote, string reason);
}
