using Dispatch.Server.Outbox;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Registers customer notifications: settings, the outbox consumer, the adapters, the sender and the delay sweep.</summary>
internal static class CustomerNotificationComposition
{
    public const string HttpClientName = "customer-notifications";

    public static IServiceCollection AddCustomerNotifications(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CustomerNotificationOptions>().Bind(config.GetSection(CustomerNotificationOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.DefaultLanguageIsSupported(), $"Notifications:DefaultLanguage must be one of {string.Join(", ", Core.Notifications.CustomerLanguages.Supported)}.")
            .Validate(o => o.Channel != CustomerChannel.HttpSms || Uri.TryCreate(o.HttpSms.Url, UriKind.Absolute, out _), "Notifications:HttpSms:Url must be an absolute URL when Notifications:Channel is HttpSms.")
            .Validate(o => o.Channel != CustomerChannel.WeChatTemplate || !string.IsNullOrEmpty(o.WeChat.AccessToken), "Notifications:WeChat:AccessToken is required when Notifications:Channel is WeChatTemplate.")
            .Validate(o => o.Channel != CustomerChannel.Smtp || (!string.IsNullOrEmpty(o.Smtp.Host) && !string.IsNullOrEmpty(o.Smtp.From)), "Notifications:Smtp:Host and Notifications:Smtp:From are required when Notifications:Channel is Smtp.")
            .Validate(o => o.QuietNight.StartHour != o.QuietNight.EndHour, "Notifications:QuietNight:StartHour and EndHour must differ.")
            .ValidateOnStart();
        services.AddHttpClient(HttpClientName);
        services.AddSingleton<ICustomerNotifier, LogCustomerNotifier>();
        services.AddSingleton<ICustomerNotifier, HttpSmsNotifier>();
        services.AddSingleton<ICustomerNotifier, WeChatTemplateNotifier>();
        services.AddSingleton<ICustomerNotifier, SmtpCustomerNotifier>();
        services.AddSingleton<CustomerNotificationCoordinator>();
        services.AddSingleton<CustomerNotificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<CustomerNotificationService>());
        services.AddSingleton<IOutboxConsumer, CustomerNoticeConsumer>();
        return services;
    }
}
