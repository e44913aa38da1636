namespace Dispatch.Server.Persistence;

/// <summary>One offer round of an order (table dispatch_decisions): the explanation, for "why this courier".</summary>
internal sealed class DispatchDecisionRecord
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>
    /// <see cref="Dispatch.Core.Matching.CompactExplanation"/> as <see cref="Dispatching.StoredExplanation"/> stores it (packed;
    /// older rows: compressed JSON, JSON text, the oldest the whole <see cref="Dispatch.Core.Matching.DispatchExplanation"/>).
    /// </summary>
    public byte[] Explanation { get; set; } = [];
}
