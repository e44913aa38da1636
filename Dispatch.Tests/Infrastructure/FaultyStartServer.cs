namespace Dispatch.Tests.Infrastructure;

/// <summary>A <see cref="FaultyLoopServer"/> whose every background loop fails its first two pieces of work, from start.</summary>
public sealed class FaultyStartServer : FaultyLoopServer
{
    public const int FaultsEach = 2;

    public static readonly string[] Loops =
    [
        "location-flush", "track-point-writer", "presence-sweep", "control-room", "zone-catalog", "milestones", "reroute",
        "travel-times", "eta-pads", "dispatch", "decision-log", "recovery-sweep", "outbox-listen", "outbox-relay", "outbox-lag", "scheduler-start",
    ];

    public FaultyStartServer()
    {
        foreach (var loop in Loops) Faults.Arm(loop, FaultsEach);
    }
}
