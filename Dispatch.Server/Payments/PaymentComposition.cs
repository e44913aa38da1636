using Dispatch.Server.Outbox;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>Wires payments: the providers switched on by settings, the coordinators, the refund consumer and loop, and the providers' HttpClient.</summary>
internal static class PaymentComposition
{
    public const string HttpClientName = "payments";

    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration config, bool isDevelopment)
    {
        services.AddOptions<PaymentOptions>().Bind(config.GetSection(PaymentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var o = config.GetSection(PaymentOptions.Section).Get<PaymentOptions>() ?? new PaymentOptions();
        if (o.SandboxEnabled ?? isDevelopment) services.AddSingleton<IPaymentProvider, SandboxProvider>();
        if (o.WeChat.Enabled) services.AddSingleton<IPaymentProvider, WeChatPayProvider>();
        if (o.Alipay.Enabled) services.AddSingleton<IPaymentProvider, AlipayProvider>();
        services.AddSingleton<PaymentProviders>();
        services.AddSingleton<PaymentCoordinator>();
        services.AddSingleton<RefundCoordinator>();
        services.AddSingleton<IOutboxConsumer, RefundConsumer>();
        services.AddHostedService<RefundService>();
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((sp, c) =>
            {
                c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PaymentOptions>>().Value.ProviderTimeoutSeconds);
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Dispatch-Payments/1");
            });
        return services;
    }
}
