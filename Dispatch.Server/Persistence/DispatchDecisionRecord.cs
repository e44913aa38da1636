namespace Dispatch.Server.Persistence;

/// <summary>One offer round of an order (table dispatch_decisions): the explanation as JSON, for "why this courier".</summary>
internal sealed class DispatchDecisionRecord
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>JSON of <see cref="Dispatch.Core.Matching.CompactExplanation"/> (older rows: the whole <see cref="Dispatch.Core.Matching.DispatchExplanation"/>).</summary>
    public string Explanation { get; set; } = "{}";
}
