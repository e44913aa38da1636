namespace Dispatch.Server.Notifications.Customers;

/// <summary>The adapters customer messages can go through.</summary>
internal enum CustomerChannel
{
    Log,
    HttpSms,
    WeChatTemplate,
    Smtp,
}
