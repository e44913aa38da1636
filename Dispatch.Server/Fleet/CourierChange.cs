namespace Dispatch.Server.Fleet;

/// <summary>What happened to a courier in Redis, as told to every node (<see cref="ZoneCourierCache"/>).</summary>
internal enum CourierChange
{
    /// <summary>In the zone's geo set at this state (a fix flush).</summary>
    Moved = 0,

    /// <summary>A new state, membership unchanged (accept, going online before the first fix).</summary>
    State = 1,

    /// <summary>Out of the zone's geo set (offline, stale, moved to another zone).</summary>
    Left = 2,
}
