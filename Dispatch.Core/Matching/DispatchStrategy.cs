namespace Dispatch.Core.Matching;

/// <summary>How a zone hands out orders.</summary>
public enum DispatchMode
{
    /// <summary>Offer to the best courier with a timeout; decline or expiry → the next best; the radius widens in steps.</summary>
    Sequential = 0,

    /// <summary>Offer to the k best at once; the first accept wins, the others' offers are withdrawn.</summary>
    Broadcast = 1,

    /// <summary>Every few seconds, all waiting orders against all available couriers as one assignment problem.</summary>
    Batch = 2,
}

/// <summary>A zone's dispatch strategy: the mode, the broadcast width, and the batch window.</summary>
public sealed record DispatchStrategy(DispatchMode Mode, int Fanout, int BatchWindowSeconds)
{
    public const int MaxFanout = 50;
    public const int MaxBatchWindowSeconds = 300;

    /// <summary>How many couriers one offer round goes to.</summary>
    public int OffersPerRound => Mode == DispatchMode.Broadcast ? Fanout : 1;

    /// <summary>What is wrong with this strategy, naming the field, or null when it is valid.</summary>
    public (string Field, string Message)? Problem() => this switch
    {
        { Mode: not (DispatchMode.Sequential or DispatchMode.Broadcast or DispatchMode.Batch) } => ("strategy", "Strategy must be sequential, broadcast or batch."),
        { Mode: DispatchMode.Broadcast, Fanout: < 2 or > MaxFanout } => ("fanout", $"Broadcast needs a fanout from 2 to {MaxFanout}."),
        // Kept for a later switch to broadcast, so it must be sane in every mode.
        { Fanout: < 1 or > MaxFanout } => ("fanout", $"The fanout must be 1 to {MaxFanout}."),
        { BatchWindowSeconds: < 1 or > MaxBatchWindowSeconds } => ("batchWindowSeconds", $"The batch window must be 1 to {MaxBatchWindowSeconds} seconds."),
        _ => null,
    };
}
