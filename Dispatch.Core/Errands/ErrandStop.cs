using Dispatch.Core.Geo;

namespace Dispatch.Core.Errands;

/// <summary>
/// One intermediate stop of a multi-stop errand, between the pickup and the final drop-off: where, what to do there, and
/// when the courier marked it done (null while it is still to do).
/// </summary>
public sealed record ErrandStop(LatLon At, string Address, StopAction Action, string? Note, DateTimeOffset? DoneAt = null)
{
    public bool IsDone => DoneAt is not null;

    /// <summary>What the courier and the timeline call this stop: its address, else its note, else its position.</summary>
    public string Label => !string.IsNullOrWhiteSpace(Address) ? Address : !string.IsNullOrWhiteSpace(Note) ? Note : At.ToString();
}
