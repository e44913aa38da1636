using Dispatch.Server.Outbox;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Webhooks;

/// <summary>Wires merchant webhooks: options, the outbox consumer that queues deliveries, the sender and its HttpClient, the API's coordinator.</summary>
internal static class WebhookComposition
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WebhookOptions>().Bind(config.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookPoster>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<IOutboxConsumer, WebhookConsumer>();
        services.AddSingleton<WebhookCoordinator>();
        services.AddHttpClient(WebhookPoster.HttpClientName)
            .ConfigureHttpClient((sp, c) =>
            {
                // The poster cancels at the timeout itself; this is only a backstop.
                c.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout + TimeSpan.FromSeconds(5);
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Dispatch-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                // Connections are renewed now and then so a receiver's DNS change is seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                ConnectCallback = WebhookConnections.Connect(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses
                    ?? sp.GetRequiredService<IHostEnvironment>().IsDevelopment()),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's handlers logged four lines (and a scope) per POST at Information; the sender logs what went wrong itself.
            .RemoveAllLoggers();
        return services;
    }
}
