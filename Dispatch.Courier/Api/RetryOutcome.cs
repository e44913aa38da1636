namespace Dispatch.Courier.Api;

/// <summary>
/// How a call sent under a <see cref="RetryPolicy"/> ended: its value, or the last error with whether it was a fault the
/// budget ran out on (<see cref="LostToFault"/>) or an answer retrying would not change.
/// </summary>
internal sealed record RetryOutcome<T>(T? Value, Exception? Error, bool LostToFault, int Attempts, TimeSpan Elapsed)
{
    public bool Succeeded => Error is null;
}
