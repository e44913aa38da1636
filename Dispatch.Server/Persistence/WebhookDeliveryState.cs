namespace Dispatch.Server.Persistence;

/// <summary>Where a webhook delivery is. Numeric values are stored; never renumber.</summary>
internal enum WebhookDeliveryState
{
    /// <summary>To send: due, in back-off, or waiting for an earlier event of its order.</summary>
    Pending = 0,

    Delivered = 1,

    /// <summary>Gave up after the last attempt; sent again only when redelivered.</summary>
    Dead = 2,
}
