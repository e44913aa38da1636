using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using NetTopologySuite.Geometries;

namespace Dispatch.Server.Persistence;

/// <summary>An order (table orders). Points are geography(Point,4326), X = longitude.</summary>
internal sealed class OrderRecord
{
    public Guid Id { get; set; }

    /// <summary>Human order number, shown as D-000123.</summary>
    public long Number { get; set; }

    public string MerchantId { get; set; } = "";

    public string IdempotencyKey { get; set; } = "";

    /// <summary>SHA-256 of the creation request, so a reused key with a different body is caught.</summary>
    public string RequestHash { get; set; } = "";

    public string Zone { get; set; } = "";

    public OrderKind Kind { get; set; }

    public bool RequiresColdChain { get; set; }

    public OrderStatus Status { get; set; }

    /// <summary>
    /// True from Paid until the order is finished (a stored generated column, <c>status between 1 and 8</c>, written by
    /// PostgreSQL): the open orders the dispatcher and the board read come from an index on it, so <see cref="Status"/> is
    /// in no index and a status change between two open statuses is a HOT update (no index entries written).
    /// </summary>
    public bool IsOpen { get; private set; }

    public Point Pickup { get; set; } = null!;

    public string PickupAddress { get; set; } = "";

    public Point Dropoff { get; set; } = null!;

    public string DropoffAddress { get; set; } = "";

    /// <summary>Stored encrypted (column customer_name_enc), like <see cref="CustomerPhone"/> and <see cref="Pin"/>.</summary>
    [Encrypted]
    public string CustomerName { get; set; } = "";

    /// <summary>E.164 ("+33612345678") since phones are validated; older rows keep what the merchant wrote.</summary>
    [Encrypted]
    public string CustomerPhone { get; set; } = "";

    /// <summary>HMAC-SHA256 of the E.164 phone (<see cref="Privacy.PersonalData.PhoneHash"/>): the board's search by whole number.</summary>
    public byte[] CustomerPhoneHash { get; set; } = [];

    /// <summary>HMAC-SHA256 of the phone's last 6 digits: the board's search by the end of a number.</summary>
    public byte[] CustomerPhoneSuffixHash { get; set; } = [];

    /// <summary>The customer's e-mail address for notifications ("" when none); stored encrypted (customer_email_enc).</summary>
    [Encrypted]
    public string CustomerEmail { get; set; } = "";

    /// <summary>The customer's WeChat openid for template messages ("" when none); stored encrypted (customer_wechat_openid_enc).</summary>
    [Encrypted]
    public string CustomerWeChatOpenId { get; set; } = "";

    /// <summary>The language customer messages are written in, one of <see cref="Dispatch.Core.Notifications.CustomerLanguages"/>.</summary>
    public string CustomerLanguage { get; set; } = Dispatch.Core.Notifications.CustomerLanguages.English;

    public List<string> Items { get; set; } = [];

    /// <summary>Four-digit hand-over PIN the customer tells the courier.</summary>
    [Encrypted]
    public string Pin { get; set; } = "";

    /// <summary>
    /// PIN tries that did not deliver. Each try is counted by a conditional UPDATE before the PIN is compared (a right PIN
    /// gives its try back as it delivers), so concurrent calls on any node cannot compare more than the limit allows.
    /// </summary>
    public int PinTries { get; set; }

    /// <summary>When PIN entry locked (tries reached the limit); null while it is not locked. Reset by a dispatcher's unlock.</summary>
    public DateTimeOffset? PinLockedAt { get; set; }

    /// <summary>A dispatcher allowed delivery away from the drop-off (or with no known position); recorded in the timeline.</summary>
    public bool AnyPlaceAllowed { get; set; }

    public DateTimeOffset PromisedAt { get; set; }

    /// <summary>When the goods will be ready at the pickup (a meal still cooking); null = ready when paid.</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? CourierId { get; set; }

    /// <summary>When the tracking link stops working; moved earlier on delivery or cancellation.</summary>
    public DateTimeOffset TrackingExpiresAt { get; set; }

    /// <summary>Drop-off time promised to the customer when a courier accepted (route ETA, or straight line without a network).</summary>
    public DateTimeOffset? EtaAtAccept { get; set; }

    /// <summary>Drop-off time promised when the goods were picked up.</summary>
    public DateTimeOffset? EtaAtPickup { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Buy-for-me errands: the most the courier may spend, cents. Null for ordinary orders.</summary>
    public int? PriceCapCents { get; set; }

    /// <summary>Buy-for-me errands: what to buy, as the customer wrote it.</summary>
    public string? ShoppingList { get; set; }

    public ReceiptState ReceiptState { get; set; }

    /// <summary>The latest receipt the courier sent, cents.</summary>
    public int? ReceiptCents { get; set; }

    /// <summary>Link or id of the receipt photo.</summary>
    public string? ReceiptPhotoRef { get; set; }

    /// <summary>The amount approved (automatically within the cap, or by the customer), cents: what the customer pays back.</summary>
    public int? ApprovedCents { get; set; }

    /// <summary>The courier's fee for this order, cents, fixed at delivery by the fee model.</summary>
    public int? CourierFeeCents { get; set; }

    /// <summary>The price as lines (JSON array of <see cref="Dispatch.Core.Pricing.PriceLine"/>); null for an order without a price.</summary>
    public string? PriceLines { get; set; }

    /// <summary>What the customer pays, cents (the sum of the lines); null = unpriced: the merchant collects, any paid amount is taken.</summary>
    public int? PriceCents { get; set; }

    /// <summary>ISO 4217 code of <see cref="PriceCents"/>; null for an unpriced order.</summary>
    public string? Currency { get; set; }

    public Dispatch.Core.Payments.PaymentState PaymentState { get; set; }

    /// <summary>The provider that took the payment (sandbox, wechat, alipay, callback).</summary>
    public string? PaymentMethod { get; set; }

    /// <summary>The try that was paid (its trade number at the provider), for refunds.</summary>
    public Guid? PaymentId { get; set; }

    /// <summary>The provider's transaction id.</summary>
    public string? PaymentRef { get; set; }

    public int? PaidCents { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? PaymentFailedAt { get; set; }

    /// <summary>When a notification did not match the order (amount or currency); cleared when a right payment arrives.</summary>
    public DateTimeOffset? PaymentAlertAt { get; set; }

    public string? PaymentAlert { get; set; }

    /// <summary>Given back so far, cents.</summary>
    public int RefundedCents { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>The customer's rating after delivery, 1–5.</summary>
    public short? RatingStars { get; set; }

    public string? RatingComment { get; set; }

    public DateTimeOffset? RatedAt { get; set; }

    /// <summary>
    /// Multi-stop errands: the stops between pickup and drop-off, in order, as a JSON array (jsonb) of
    /// <see cref="StopRecord"/>; null for an ordinary order. Changed only conditionally on <see cref="Version"/>.
    /// </summary>
    public string? Stops { get; set; }

    /// <summary>The customer (customers.id) who placed the order in the customer app; null for a merchant's order.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The quote (quotes.id) the customer ordered from; one order per quote.</summary>
    public Guid? QuoteId { get; set; }

    /// <summary>The errand facts Core decides on; null when the order is not a buy-for-me errand.</summary>
    public BuyForMe? BuyForMe => PriceCapCents is { } cap ? new BuyForMe(cap, ReceiptState, ReceiptCents, ApprovedCents) : null;

    /// <summary>Bumped on every change; updates are conditional on it or on the status.</summary>
    public int Version { get; set; }

    public string FormatNumber() => FormatNumber(Number);

    public static string FormatNumber(long number) => $"D-{number:000000}";

    /// <summary>"D-000042", "d42", "000042", "42" → 42.</summary>
    public static long? ParseNumber(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("D-", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        else if (t.StartsWith('D') || t.StartsWith('d')) t = t[1..];
        return long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }
}
