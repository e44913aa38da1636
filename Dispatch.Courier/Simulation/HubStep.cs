using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Courier.Simulation;

/// <summary>Runs one courier hub call for the simulator and classifies the result instead of throwing.</summary>
internal static class HubStep
{
    public static async Task<StepOutcome> RunAsync(
        string name, Func<CancellationToken, Task> call, SimulationStats stats, bool printRejection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(stats);
        try
        {
            await call(cancellationToken);
            return StepOutcome.Done;
        }
        catch (HubException ex)
        {
            if (printRejection)
            {
                stats.StepError();
                stats.Error($"{name} rejected", ex.Message);
            }
            return StepOutcome.Rejected;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not connected right now, or the call was lost with the connection: the caller tries again later.
            stats.StepError();
            stats.Error(name, ex.Message);
            return StepOutcome.Failed;
        }
    }
}
