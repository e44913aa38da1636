namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// What an adapter did with a message: sent, or skipped with a reason (no address for the channel, an address the channel
/// refused: trying again would not help). A failure worth retrying is an exception.
/// </summary>
internal sealed record CustomerSendResult(bool Sent, string? SkipReason)
{
    public static readonly CustomerSendResult Done = new(true, null);

    public static CustomerSendResult Skip(string reason) => new(false, reason);
}
