namespace Dispatch.Server.Common;

/// <summary>
/// Test-only: registered by tests to make a background loop's work fail on purpose (throw from <see cref="BeforeWork"/>).
/// Production registers none, so <see cref="ResilientLoop"/> skips the call.
/// </summary>
internal interface ILoopFaults
{
    /// <summary>Called before each piece of work of the loop named <paramref name="loopName"/>.</summary>
    void BeforeWork(string loopName);
}
