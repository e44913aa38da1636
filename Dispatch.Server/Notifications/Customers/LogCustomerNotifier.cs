namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// The default adapter (the demo): writes the message to the log, the phone masked. The text holds the tracking link, so a
/// production deployment chooses a real channel.
/// </summary>
internal sealed partial class LogCustomerNotifier(ILogger<LogCustomerNotifier> logger) : ICustomerNotifier
{
    public CustomerChannel Channel => CustomerChannel.Log;

    public Task<CustomerSendResult> SendAsync(CustomerMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Phone.Length == 0) return Task.FromResult(CustomerSendResult.Skip("the order has no customer phone"));
        LogMessage(logger, message.OrderNumber, message.Kind.ToString(), ContactMask.Phone(message.Phone), message.Language, message.Text);
        return Task.FromResult(CustomerSendResult.Done);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer message for order {OrderNumber} ({Kind}) to {Phone} in {Language}: {Text}")]
    private static partial void LogMessage(ILogger logger, string orderNumber, string kind, string phone, string language, string text);
}
