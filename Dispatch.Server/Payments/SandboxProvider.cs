using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>
/// The demo's provider: starting a payment returns two links, POST /api/payments/sandbox/{id}/pay and …/fail, whose query
/// carries the amount, the currency and a token, HMAC-SHA256 of them with Payments:CallbackSecret. Following one is the
/// provider's notification; a changed amount or a guessed token is refused like a bad signature. Refunds always succeed.
/// </summary>
internal sealed class SandboxProvider(IOptions<PaymentOptions> options) : IPaymentProvider
{
    public const string ProviderName = "sandbox";

    public string Name => ProviderName;

    public Task<ProviderResult<PaymentStart>> StartAsync(PaymentOrder order, CancellationToken ct)
    {
        var query = $"amount={order.Cents.ToString(CultureInfo.InvariantCulture)}&currency={order.Currency}&token={Token(order.PaymentId, order.Cents, order.Currency)}";
        var path = $"/api/payments/sandbox/{order.PaymentId:N}";
        return Task.FromResult<ProviderResult<PaymentStart>>(new PaymentStart($"sbx_{order.PaymentId:N}", new Dictionary<string, string>
        {
            ["payUrl"] = $"{path}/pay?{query}",
            ["failUrl"] = $"{path}/fail?{query}",
        }));
    }

    /// <summary>The body the sandbox endpoints pass on: {paymentId, result ("pay"/"fail"), amount, currency, token}.</summary>
    public ProviderResult<PaymentNotice> ReadNotification(IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var n = JsonSerializer.Deserialize<SandboxNotice>(body, JsonSerializerOptions.Web);
        if (n is null || n.Token is null || n.Currency is null) return new ProviderError("The sandbox link is incomplete.");
        var expected = Encoding.ASCII.GetBytes(Token(n.PaymentId, n.Amount, n.Currency));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(n.Token)))
            return new ProviderError("The sandbox token does not match the payment, amount and currency.");
        var status = n.Result == "pay" ? NoticeStatus.Paid : NoticeStatus.Failed;
        return new PaymentNotice(n.PaymentId, status, n.Amount, n.Currency, $"sbx_{n.PaymentId:N}", $"sandbox {n.Result}");
    }

    public Task<ProviderResult<string>> RefundAsync(RefundOrder refund, CancellationToken ct) =>
        Task.FromResult<ProviderResult<string>>($"sbx_refund_{refund.RefundId:N}");

    public string Token(Guid paymentId, long cents, string currency) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.CallbackSecret),
            Encoding.UTF8.GetBytes($"sandbox:{paymentId:N}:{cents.ToString(CultureInfo.InvariantCulture)}:{currency}")));

    /// <summary>What the sandbox endpoints hand to <see cref="ReadNotification"/>.</summary>
    public sealed record SandboxNotice(Guid PaymentId, string Result, long Amount, string? Currency, string? Token);
}
