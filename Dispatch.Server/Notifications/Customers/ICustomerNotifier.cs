namespace Dispatch.Server.Notifications.Customers;

/// <summary>One way of reaching customers (Notifications:Channel chooses which). Throws when a retry may succeed.</summary>
internal interface ICustomerNotifier
{
    CustomerChannel Channel { get; }

    Task<CustomerSendResult> SendAsync(CustomerMessage message, CancellationToken ct);
}
