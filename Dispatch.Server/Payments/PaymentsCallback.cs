using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Payments;
using Dispatch.Server.Common;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>
/// The generic signed callback for merchants that take the money themselves: POST /api/payments/callback with
/// X-Dispatch-Signature: sha256=hex(HMAC-SHA256(Payments:CallbackSecret, raw body)) and {orderId, status: "paid"|"failed",
/// amount (decimal, e.g. 12.50), currency}. A priced order must be paid exactly its price (else 422, recorded, an alert).
/// </summary>
internal static partial class PaymentsCallback
{
    public const string SignatureHeader = "X-Dispatch-Signature";

    public static async Task<IResult> HandleAsync(HttpContext http, PaymentCoordinator payments, IOptions<PaymentOptions> options, JsonSerializerOptionsHolder json, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Dispatch.Payments");
        // Kestrel stops the read at the endpoint's limit (BodyLimits.PaymentCallback): a larger post is a 413 before it is held.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();

        if (!SignatureValid(body, http.Request.Headers[SignatureHeader].FirstOrDefault(), options.Value.CallbackSecret))
        {
            LogBadSignature(logger, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature",
                detail: $"The {SignatureHeader} header must be sha256=<hex HMAC-SHA256 of the raw body with the shared callback secret>.");
        }

        PaymentCallback? callback;
        try
        {
            callback = JsonSerializer.Deserialize<PaymentCallback>(body, json.Options);
        }
        catch (JsonException ex)
        {
            var (field, detail) = RequestErrors.Describe(ex);
            return Failure.BadRequest(field, detail).ToProblem();
        }
        if (callback?.OrderId is not { } orderId) return Failure.BadRequest("orderId", "orderId is required.").ToProblem();
        var status = callback.Status?.ToLowerInvariant() switch
        {
            "paid" => NoticeStatus.Paid,
            "failed" => NoticeStatus.Failed,
            _ => (NoticeStatus?)null,
        };
        if (status is null) return Failure.BadRequest("status", "status is \"paid\" or \"failed\".").ToProblem();
        long? cents = null;
        if (callback.Amount is { } amount && (cents = PaymentRules.ToCents(amount)) is null)
            return Failure.BadRequest("amount", "amount is the sum paid with at most two decimals, e.g. 12.50.").ToProblem();

        var outcome = await payments.ApplyCallbackAsync(orderId, status.Value, cents, callback.Currency?.ToUpperInvariant(), ct);
        return outcome.Ok ? Results.NoContent() : outcome.Failure!.ToProblem();
    }

    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static bool SignatureValid(byte[] body, string? header, string secret) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment callback with a bad signature from {Remote}")]
    private static partial void LogBadSignature(ILogger logger, string remote);
}
