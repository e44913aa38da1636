namespace Dispatch.Core.Tracking;

/// <summary>
/// Pads the ETA promised to customers by how wrong past ETAs were. Errors are actual minus predicted seconds
/// (positive = we arrived later than we said). When being late costs <c>latenessWeight</c> times as much as being early
/// by the same amount, the pad with the least expected cost is the weight ÷ (weight + 1) quantile of past errors
/// (the newsvendor rule): weight 3 pads to the 75th percentile, so about one delivery in four is later than promised.
/// A promise is never made tighter than the raw estimate, and the pad is capped.
/// </summary>
public static class EtaPadding
{
    public static int PadSeconds(IReadOnlyList<double> errorSeconds, double latenessWeight, int minSamples, int maxPadSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latenessWeight);
        var finite = errorSeconds.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0 || finite.Length < minSamples) return 0;
        var q = latenessWeight / (latenessWeight + 1);
        var rank = (int)Math.Ceiling(q * finite.Length) - 1;
        var pad = finite[Math.Clamp(rank, 0, finite.Length - 1)];
        return (int)Math.Round(Math.Clamp(pad, 0, maxPadSeconds));
    }
}
