namespace Dispatch.Core.Contracts;

public static class HubPaths
{
    public const string Courier = "/hubs/courier";
    public const string Tracking = "/hubs/tracking";
    public const string ControlRoom = "/hubs/control";

    /// <summary>Largest message a hub accepts, bytes. A batch of 200 fixes is about 12 KB in MessagePack.</summary>
    public const long MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>
    /// Words in a HubException that refuses a call for now, not for good (a rate limit): the client keeps what it sent and
    /// tries again later, as the message says.
    /// </summary>
    public const string RetryAfter = "Retry after";

    /// <summary>Most fixes in one SendFixes call.</summary>
    public const int MaxFixesPerBatch = 500;
}
