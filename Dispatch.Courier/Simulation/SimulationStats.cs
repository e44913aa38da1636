using System.Globalization;

namespace Dispatch.Courier.Simulation;

/// <summary>Counters shared by every simulated courier and the order stream; thread-safe.</summary>
internal sealed class SimulationStats
{
    public const string CreateCall = "create";
    public const string PayCall = "pay";

    /// <summary>Line prefixes infra/chaos.sh greps for.</summary>
    public const string RetriedPrefix = "retried";
    public const string LostPrefix = "lost-to-fault";

    private const int MaxPrintedErrors = 20;

    private readonly Action<string> _print;
    private long _ordersCreated;
    private long _ordersFailed;
    private long _ordersPaid;
    private long _createsRetried;
    private long _createsLost;
    private long _paymentsRetried;
    private long _paymentsLost;
    private long _retries;
    private volatile string? _lastRetryReason;
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

    public long OrdersPaid => Interlocked.Read(ref _ordersPaid);

    public long CreatesRetried => Interlocked.Read(ref _createsRetried);

    public long PaymentsRetried => Interlocked.Read(ref _paymentsRetried);

    public long CreatesLost => Interlocked.Read(ref _createsLost);

    public long PaymentsLost => Interlocked.Read(ref _paymentsLost);

    /// <summary>Failed attempts of creates and payment callbacks that were (or are about to be) sent again.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Why the latest of those attempts failed.</summary>
    public string? LastRetryReason => _lastRetryReason;

    public void RetryScheduled(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _lastRetryReason = error.Message;
        Interlocked.Increment(ref _retries);
    }

    public void OrderCreated() => Interlocked.Increment(ref _ordersCreated);

    public void OrderFailed() => Interlocked.Increment(ref _ordersFailed);

    public void OrderPaid() => Interlocked.Increment(ref _ordersPaid);

    /// <summary>
    /// A create or payment callback that succeeded only after retries; printed every time (infra/chaos.sh counts the
    /// lines, which outlive a killed fleet).
    /// </summary>
    public void Retried(string call, string subject, int attempts, TimeSpan took)
    {
        Interlocked.Increment(ref (call == CreateCall ? ref _createsRetried : ref _paymentsRetried));
        _print(string.Create(CultureInfo.InvariantCulture, $"  {RetriedPrefix} {call} {subject}: {attempts} attempts in {took.TotalSeconds:0} s"));
    }

    /// <summary>A create or payment callback given up after retrying a fault for the whole retry budget; always printed.</summary>
    public void LostToFault(string call, string subject, int attempts, TimeSpan took, string error)
    {
        Interlocked.Increment(ref (call == CreateCall ? ref _createsLost : ref _paymentsLost));
        _print(string.Create(CultureInfo.InvariantCulture, $"  {LostPrefix} {call} {subject}: gave up after {attempts} attempts in {took.TotalSeconds:0} s: {error}"));
    }

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
            $"online {online}/{couriers} | orders {OrdersCreated} (paid {OrdersPaid}, failed {Interlocked.Read(ref _ordersFailed)})"
            + $" | retries {Retries}: retried create {Interlocked.Read(ref _createsRetried)} pay {Interlocked.Read(ref _paymentsRetried)}"
            + $", lost to faults create {Interlocked.Read(ref _createsLost)} pay {Interlocked.Read(ref _paymentsLost)}"
            + $" | offers {Interlocked.Read(ref _offers)} accepted {Interlocked.Read(ref _accepted)} declined {Interlocked.Read(ref _declined)}"
            + $" lost {Interlocked.Read(ref _acceptLost)} withdrawn {Interlocked.Read(ref _withdrawn)}"
            + $" | picked-up {Interlocked.Read(ref _pickedUp)} delivered {Delivered} cancelled {Interlocked.Read(ref _cancelled)}"
            + $" | fixes {fixesSent} rejected {fixRejections} dropped {fixesDropped}"
            + $" | step-errors {Interlocked.Read(ref _stepErrors)} connect-failures {Interlocked.Read(ref _connectFailures)}");
}
