namespace Dispatch.Core.Webhooks;

/// <summary>The event types a merchant may subscribe an endpoint to (the outbox kinds of the same names).</summary>
public static class WebhookEventTypes
{
    public const string OrderStatus = "order.status";

    public const string OrderArriving = "order.arriving";

    public static readonly IReadOnlyList<string> All = [OrderStatus, OrderArriving];

    /// <summary>Why <paramref name="events"/> cannot be an endpoint's subscription, or null when it can (duplicates are fine: they collapse).</summary>
    public static string? Check(IReadOnlyList<string?>? events)
    {
        if (events is null || events.Count == 0) return $"events must list at least one event type: {string.Join(", ", All)}.";
        if (events.Count > 16) return "events must list at most 16 event types.";
        foreach (var e in events)
        {
            if (e is null || !All.Contains(e, StringComparer.Ordinal))
                return $"events contains an unknown event type{(e is null ? "" : $" '{(e.Length > 64 ? e[..64] + "…" : e)}'")}; known types are {string.Join(", ", All)}.";
        }
        return null;
    }
}
