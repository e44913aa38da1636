using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Zones;
using Dispatch.Server.Accounts;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.ControlRoom;
using Dispatch.Server.Couriers;
using Dispatch.Server.Customers;
using Dispatch.Server.Dev;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Errands;
using Dispatch.Server.Fleet;
using Dispatch.Server.Health;
using Dispatch.Server.Hubs;
using Dispatch.Server.Locations;
using Dispatch.Server.Notifications.Customers;
using Dispatch.Server.OrderLists;
using Dispatch.Server.Observability;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Dispatch.Server.Persistence;
using Dispatch.Server.Privacy;
using Dispatch.Server.Proxies;
using Dispatch.Server.Redis;
using Dispatch.Server.Routing;
using Dispatch.Server.Scheduling;
using Dispatch.Server.Schema;
using Dispatch.Server.Outbox;
using Dispatch.Server.Streets;
using Dispatch.Server.Tracking;
using Dispatch.Server.Webhooks;
using Dispatch.Server.Zones;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using StackExchange.Redis;

namespace Dispatch.Server;

/// <summary>Everything the server is made of, wired in one place. Tests build the same app with their own settings.</summary>
internal static class ServerComposition
{
    /// <param name="replace">Runs after the server's services are added (a benchmark drives its own rounds in place of the dispatch loop).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (builder.Environment.IsDevelopment()) AddDevelopmentSecrets(builder.Configuration);
        AddServices(builder);
        replace?.Invoke(builder.Services);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddOptions<DispatchOptions>().Bind(config.GetSection(DispatchOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.EarningsTimeZoneIsKnown(), "Dispatch:EarningsTimeZone is not a time zone this machine knows (use an IANA id such as Europe/Monaco).")
            .Validate(o => o.ZoneTimeZonesAreKnown(), "A zone's TimeZone (Dispatch:Zones:N:TimeZone) is not an IANA time zone this machine knows (such as Asia/Shanghai).")
            .ValidateOnStart();
        services.AddOptions<Security.SecurityHeadersOptions>().Bind(config.GetSection(Security.SecurityHeadersOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ZoneMap(sp.GetRequiredService<IOptions<DispatchOptions>>().Value.Zones.Select(z => ZoneMap.FromWkt(z.Name, z.Boundary, z.TimeZone))));
        services.AddSingleton<DispatchMetrics>();
        services.AddDispatchObservability(config);
        services.AddOptions<BackgroundLoopOptions>().Bind(config.GetSection(BackgroundLoopOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ResilientLoop>();
        // Unreadable requests are 400/413/415 problems naming the field in every environment (see BadRequestHandler).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = BadRequestHandler.Customize);
        services.AddExceptionHandler<BadRequestHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = BodyLimits.Default);
        services.ConfigureHttpJsonOptions(o =>
        {
            // Enums by name only: "kind": 1 is a refusal, not a silently chosen kind.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddSingleton<JsonSerializerOptionsHolder>();
        services.AddDispatchRateLimits(config);
        services.AddDispatchProxies(config);

        // Data: one Npgsql data source (with NetTopologySuite) shared by EF Core and the COPY writer; one Redis multiplexer.
        var postgres = config.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set. Run infra/start.sh and use the settings it prints.");
        var redisConnection = config.GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is not set. Run infra/start.sh and use the settings it prints.");
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(PostgresConnection.WithoutJit(postgres));
        dataSourceBuilder.UseNetTopologySuite();
        var dataSource = dataSourceBuilder.Build();
        services.AddSingleton(dataSource);
        // First of the hosted services: Data Protection's own reads the key ring (a table) at start.
        services.AddSingleton<DatabaseMigrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrationService>());
        services.AddPersonalDataProtection(config);
        services.AddPooledDbContextFactory<DispatchDbContext>((sp, o) => o
            .UseNpgsql(dataSource, n => n.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .UsePersonalData(sp));
        // AbortOnConnectFail off: a node started while Redis is down comes up not ready and reconnects by itself.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisOptions(redisConnection)));
        services.AddDispatchHealth();

        // Auth: JWT bearer for APIs and hubs, or a merchant's signed request.
        services.AddAuth(config);
        services.AddAuthentication(SignedRequestHandler.EitherScheme).AddJwtBearer().AddSignedRequests();
        services.AddAccounts(config);
        Onboarding.OnboardingComposition.AddOnboarding(services);
        Reports.ReportsComposition.AddReports(services, config);

        var backplane = new BackplaneConnections();
        services.AddSingleton(backplane);
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = HubPaths.MaximumReceiveMessageSize;
            o.EnableDetailedErrors = false;
            o.AddFilter<HubErrorFilter>();
        })
        .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false)))
        .AddMessagePackProtocol(o => o.SerializerOptions = StrictEnumResolver.Over(o.SerializerOptions))
        // The backplane: a push sent by any node (the outbox relay runs on whichever claimed the event) reaches clients on
        // every node. Channels under the Redis prefix, so servers sharing one Redis (test classes) stay apart. Its connections
        // are opened through BackplaneConnections, so the resync after a Redis outage hears them come back (Resync/).
        .AddStackExchangeRedis(redisConnection, o =>
        {
            o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(
                (config[$"{DispatchOptions.Section}:{nameof(DispatchOptions.RedisPrefix)}"] ?? "dispatch") + ":signalr");
            o.Configuration.AbortOnConnectFail = false;
            var configuration = o.Configuration;
            o.ConnectionFactory = log => backplane.ConnectAsync(configuration, log);
        });
        ArgumentErrorProtocol.WrapAll(services);
        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();

        // The live fleet (who is online, where, their load; Redis reads and writes).
        services.AddSingleton<RedisKeys>();
        services.AddFleet();

        // Features, each registering its own services and options. The order is the hosted services' start order (they
        // stop in reverse): zones before the flush and the dispatch loop, the outbox relay after its consumers' features.
        services.AddCouriers();
        services.AddTracking();
        services.AddZones();
        services.AddLocations();
        services.AddDispatching();
        services.AddOrders();
        services.AddErrands();
        services.AddRoadRouting();
        services.AddStreets();
        services.AddControlRoom(config);
        Resync.ResyncComposition.AddResync(services);
        services.AddOutbox(config);
        // Cluster-wide periodic work runs as Quartz jobs, each firing on one node (Scheduling/).
        services.AddScheduling(config);
        Archive.ArchiveComposition.AddArchive(services, config);
        services.AddCustomerNotifications(config);
        services.AddWebhooks(config);
        services.AddPayments(config, builder.Environment.IsDevelopment());
        services.AddCustomers(config);
        Ledger.LedgerComposition.AddLedger(services, config);
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseDispatchProxies();
        app.UseMiddleware<Security.SecurityHeaders>();
        app.MapDispatchMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Signed-in hubs end with their token (the clients reconnect with a fresh one); the tracking hub is anonymous, so
        // the connections an address may start are limited.
        app.MapHub<CourierHub>(HubPaths.Courier, o => o.CloseOnAuthenticationExpiration = true);
        app.MapHub<TrackingHub>(HubPaths.Tracking).RequireRateLimiting(RateLimits.TrackingConnections);
        app.MapHub<ControlRoomHub>(HubPaths.ControlRoom, o => o.CloseOnAuthenticationExpiration = true);
        app.MapOrdersApi();
        app.MapOrderListsApi();
        app.MapZonesApi();
        app.MapZoneStrategyApi();
        app.MapRoutingApi();
        app.MapStreetsApi();
        app.MapEtaMetricsApi();
        app.MapDispatchExplanationApi();
        app.MapControlRoomApi();
        app.MapWebhooksApi();
        app.MapPaymentsApi();
        app.MapAccounts();
        app.MapCustomers();
        Onboarding.OnboardingComposition.MapOnboarding(app);
        Reports.ReportsComposition.MapReports(app);
        Ledger.LedgerComposition.MapLedger(app);
        app.MapGet("/api/metrics/pipeline", (DispatchMetrics m) => m.Snapshot()).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Dispatcher));
        app.MapGet("/healthz", () => Results.Ok("ok")).AllowAnonymous(); // liveness, kept for scripts that call it
        app.MapDispatchHealth();
        app.MapFallbackToFile("/track/{token:nonfile}", "track/index.html").AllowAnonymous();
        if (app.Environment.IsDevelopment()) app.MapDevApi();
    }

    private static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>
    /// In Development only, missing secrets are made up at random for this process, so a fresh clone runs with none committed.
    /// Tokens and links then stop working when the process restarts; the demo script keeps stable ones in .data/.
    /// </summary>
    private static void AddDevelopmentSecrets(ConfigurationManager config)
    {
        var generated = new Dictionary<string, string?>();
        foreach (var key in new[] { "Auth:SigningKey", "Auth:LinkSigningKey", "Payments:CallbackSecret", "Privacy:KeyEncryptionKey", "Privacy:PhoneHashKey" })
        {
            if (string.IsNullOrEmpty(config[key])) generated[key] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        }
        if (generated.Count > 0) config.AddInMemoryCollection(generated);
    }
}
