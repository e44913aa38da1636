namespace Dispatch.Server.Payments;

/// <summary>What a provider's notification says of a payment.</summary>
internal enum NoticeStatus
{
    Paid = 0,

    /// <summary>Closed, failed or revoked: this try will not be paid.</summary>
    Failed = 1,

    /// <summary>Not final (waiting for the buyer): recorded, nothing changes.</summary>
    Waiting = 2,
}
