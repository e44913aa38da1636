using Dispatch.Core.Notifications;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// One rendered message and the customer's addresses, decrypted for the send only (never logged whole: see
/// <see cref="ContactMask"/>). Empty strings mean the order has no such address.
/// </summary>
internal sealed record CustomerMessage(
    Guid OrderId,
    string OrderNumber,
    CustomerNoticeKind Kind,
    string Language,
    string Text,
    string Link,
    string Phone,
    string Email,
    string WeChatOpenId);
