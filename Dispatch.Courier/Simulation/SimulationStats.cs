using System.Globalization;

namespace Dispatch.Courier.Simulation;

/// <summary>Counters shared by every simulated courier and the order stream; thread-safe.</summary>
internal sealed class SimulationStats
{
    private const int MaxPrintedErrors = 20;

    private readonly Action<string> _print;
    private long _ordersCreated;
    private long _ordersFailed;
    private long _ordersPaid;
    private long _offers;
    private long _accepted;
    private long _acceptLost;
    private long _declined;
    private long _withdrawn;
    private long _cancelled;
    private long _pickedUp;
    private long _delivered;
    private long _stepErrors;
    private long _connectFailures;
    private long _sessionsEnded;
    private int _printedErrors;

    public SimulationStats(Action<string> print)
    {
        ArgumentNullException.ThrowIfNull(print);
        _print = print;
    }

    public long OrdersCreated => Interlocked.Read(ref _ordersCreated);

    public long Delivered => Interlocked.Read(ref _delivered);

    public void OrderCreated() => Interlocked.Increment(ref _ordersCreated);

    public void OrderFailed() => Interlocked.Increment(ref _ordersFailed);

    public void OrderPaid() => Interlocked.Increment(ref _ordersPaid);

    public void OfferReceived() => Interlocked.Increment(ref _offers);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    /// <summary>Tried to accept but the offer was gone (taken, expired, withdrawn).</summary>
    public void AcceptLost() => Interlocked.Increment(ref _acceptLost);

    public void Declined() => Interlocked.Increment(ref _declined);

    public void Withdrawn() => Interlocked.Increment(ref _withdrawn);

    public void Cancelled() => Interlocked.Increment(ref _cancelled);

    public void PickedUp() => Interlocked.Increment(ref _pickedUp);

    public void DeliveredOne() => Interlocked.Increment(ref _delivered);

    public void StepError() => Interlocked.Increment(ref _stepErrors);

    public void ConnectFailed() => Interlocked.Increment(ref _connectFailures);

    /// <summary>Couriers whose session the server ended for good (suspended); they stop, so they are always printed.</summary>
    public long SessionsEnded => Interlocked.Read(ref _sessionsEnded);

    public void SessionEnded(string courier, string reason)
    {
        Interlocked.Increment(ref _sessionsEnded);
        _print($"  ! {courier}: the server ended the session, not reconnecting: {reason}");
    }

    /// <summary>Prints the first few errors so a misbehaving server is visible without flooding the console.</summary>
    public void Error(string context, string message)
    {
        var n = Interlocked.Increment(ref _printedErrors);
        if (n <= MaxPrintedErrors) _print($"  ! {context}: {message}");
        if (n == MaxPrintedErrors) _print($"  ! (further errors are counted, not printed)");
    }

    public string Format(int online, int couriers, long fixesSent, long fixRejections, long fixesDropped) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"online {online}/{couriers} | orders {OrdersCreated} (paid {Interlocked.Read(ref _ordersPaid)}, failed {Interlocked.Read(ref _ordersFailed)})"
            + $" | offers {Interlocked.Read(ref _offers)} accepted {Interlocked.Read(ref _accepted)} declined {Interlocked.Read(ref _declined)}"
            + $" lost {Interlocked.Read(ref _acceptLost)} withdrawn {Interlocked.Read(ref _withdrawn)}"
            + $" | picked-up {Interlocked.Read(ref _pickedUp)} delivered {Delivered} cancelled {Interlocked.Read(ref _cancelled)}"
            + $" | fixes {fixesSent} rejected {fixRejections} dropped {fixesDropped}"
            + $" | step-errors {Interlocked.Read(ref _stepErrors)} connect-failures {Interlocked.Read(ref _connectFailures)}");
}
