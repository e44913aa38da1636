namespace Dispatch.Server.Notifications.Customers;

/// <summary>The adapters customer messages can go through.</summary>
public enum CustomerChannel
{
    Log,
    HttpSms,
    WeChatTemplate,
    Smtp,
}
