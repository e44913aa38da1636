namespace Dispatch.Courier.Simulation;

/// <summary>How a hub call went: done, refused by the server (HubException), or not made / lost with the connection.</summary>
internal enum StepOutcome
{
    Done,
    Rejected,
    Failed,
}
