using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Contracts;
using Dispatch.Server.Fleet;
using Dispatch.Server;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A real Dispatch server on Kestrel (127.0.0.1, random port) against the real PostgreSQL+PostGIS and Redis,
/// with its own database and Redis key prefix per test class. Subclasses change settings.
/// </summary>
public class DispatchServer : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // Monaco: the demo zone from appsettings.json.
    public const double CasinoLat = 43.7396, CasinoLon = 7.4276;
    public const double FontvieilleLat = 43.7309, FontvieilleLon = 7.4197;

    private WebApplication? _app;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    public string? SkipReason { get; private set; }

    public string DatabaseName => $"dispatch_t_{_suffix}";

    public string RedisPrefix => $"t{_suffix}";

    public string PaymentSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public string LinkKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IDatabase Redis => Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    internal FleetKeys Keys => Services.GetRequiredService<FleetKeys>();

    public NpgsqlDataSource Db => Services.GetRequiredService<NpgsqlDataSource>();

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Adds services or log providers before the server's own (e.g. a test-only fault source).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    /// <summary>Development by default (it maps /dev/token, which most tests use for tokens).</summary>
    protected virtual string EnvironmentName => "Development";

    /// <summary>Runs once the server is up (e.g. importing a road network into this class's database).</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        var missing = ServiceSettings.Unavailable();
        if (missing is not null)
        {
            if (ServiceSettings.IsCi) throw new InvalidOperationException($"CI=true and {missing}");
            SkipReason = missing;
            return;
        }

        await using (var admin = new NpgsqlConnection(ServiceSettings.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName} TEMPLATE template1", admin);
            await create.ExecuteNonQueryAsync();
        }
        var pg = new NpgsqlConnectionStringBuilder(ServiceSettings.Postgres) { Database = DatabaseName, MaxPoolSize = 40 };
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = pg.ConnectionString,
            ["ConnectionStrings:Redis"] = ServiceSettings.Redis,
            ["Dispatch:RedisPrefix"] = RedisPrefix,
            ["Auth:SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Auth:LinkSigningKey"] = LinkKey,
            ["Payments:CallbackSecret"] = PaymentSecret,
            ["Database:Migrate"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // EF logs the probe of a not-yet-migrated database as an error; real failures still surface as exceptions.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        Configure(settings);
        string[] args = ["--environment", EnvironmentName, "--urls", "http://127.0.0.1:0"];
        if (ServerProjectFolder() is { } contentRoot) args = [.. args, "--contentRoot", contentRoot];
        _app = ServerComposition.Build(args, b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            ConfigureBuilder(b);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUrl = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseUrl };
        await AfterStartAsync();
    }

    /// <summary>
    /// The Dispatch.Server project folder, found by walking up from the test assembly to Dispatch.sln, so the server
    /// serves its wwwroot (the browser pages) as it does in the demo. Null when the tests run outside the repository.
    /// </summary>
    public static string? ServerProjectFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return Path.Combine(dir.FullName, "Dispatch.Server");
        }
        return null;
    }

    /// <summary>
    /// Stops the server and removes this class's database and Redis keys. Cleanup never fails the class: a step that
    /// throws (a slow shutdown, a drop racing a closing connection on a loaded CI machine) is retried where that helps and
    /// otherwise reported on standard error with the exception, so the log says what was left behind (a scratch database
    /// named dispatch_t_*, keys under the class's prefix), while every test's own verdict stands.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_app is null) return;
        // Null when the start failed after the host was built: the test reports that failure, not this one.
        Http?.Dispose();
        await CleanupStepAsync("delete Redis keys", 1, async () =>
        {
            var mux = _app.Services.GetRequiredService<IConnectionMultiplexer>();
            foreach (var server in mux.GetServers())
            {
                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(pattern: $"{RedisPrefix}:*")) keys.Add(key);
                if (keys.Count > 0) await mux.GetDatabase().KeyDeleteAsync([.. keys]);
            }
        });
        await CleanupStepAsync("stop the server", 1, async () => await _app.StopAsync());
        await CleanupStepAsync("dispose the server", 1, async () => await _app.DisposeAsync());
        NpgsqlConnection.ClearAllPools();
        await CleanupStepAsync($"drop database {DatabaseName}", 5, () => ScratchDatabase.DropAsync(DatabaseName));
    }

    private async Task CleanupStepAsync(string what, int attempts, Func<Task> step)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step();
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt < attempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
                    continue;
                }
                await Console.Error.WriteLineAsync($"[test cleanup] {GetType().Name} ({RedisPrefix}): could not {what} after {attempts} attempt(s): {ex}");
                return;
            }
        }
    }

    /// <summary>Call first in every test: skips on a laptop without services (CI=true already failed in InitializeAsync).</summary>
    public void RequireServices()
    {
        if (SkipReason is not null) Assert.Skip(SkipReason);
    }

    public async Task<string> TokenAsync(string role, string subject)
    {
        var response = await Http.PostAsJsonAsync("/dev/token", new { role, subject }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("token").GetString()!;
    }

    public sealed record FleetMember(Guid CourierId, string Name, string Token, double? LastLat = null, double? LastLon = null);

    public async Task<List<FleetMember>> FleetAsync(string prefix, int count)
    {
        var response = await Http.PostAsJsonAsync("/dev/fleet", new { count, prefix }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<FleetMember>>(Json))!;
    }

    public async Task<TestCourier> ConnectCourierAsync(FleetMember member)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseUrl, HubPaths.Courier), o => o.AccessTokenProvider = () => Task.FromResult<string?>(member.Token))
            .AddMessagePackProtocol()
            .Build();
        var courier = new TestCourier(member.CourierId, member.Name, connection);
        connection.On<OfferMessage>(nameof(ICourierClient.OfferReceived), courier.Offers.Handler);
        connection.On<OfferWithdrawnMessage>(nameof(ICourierClient.OfferWithdrawn), courier.Withdrawn.Handler);
        connection.On<OrderCancelledMessage>(nameof(ICourierClient.OrderCancelled), courier.Cancelled.Handler);
        connection.On<JobAssignedMessage>(nameof(ICourierClient.JobAssigned), courier.Assigned.Handler);
        connection.On<OrderReassignedMessage>(nameof(ICourierClient.OrderReassigned), courier.Reassigned.Handler);
        connection.On<JobsInHandMessage>(nameof(ICourierClient.JobsInHand), courier.JobsInHand.Handler);
        connection.On<ReceiptChanged>(nameof(ICourierClient.ReceiptDecided), courier.ReceiptDecisions.Handler);
        connection.On<RouteMessage>(nameof(ICourierClient.RouteAssigned), courier.Routes.Handler);
        connection.On<SessionEndedMessage>(nameof(ICourierClient.SessionEnded), courier.Ended.Handler);
        connection.On<EarningsChangedMessage>(nameof(ICourierClient.EarningsChanged), courier.EarningsChanges.Handler);
        connection.Closed += courier.Closed.Handler;
        await connection.StartAsync();
        return courier;
    }

    /// <summary>A courier from a fresh fleet, connected, online and standing at a place.</summary>
    public async Task<TestCourier> OnlineCourierAtAsync(string handlePrefix, double lat, double lon, Dispatch.Core.Couriers.Equipment equipment = Dispatch.Core.Couriers.Equipment.InsulatedBox, int capacity = 3)
    {
        var member = (await FleetAsync(handlePrefix, 1))[0];
        var courier = await ConnectCourierAsync(member);
        await courier.GoOnlineAsync(equipment, capacity: capacity);
        var result = await courier.MoveToAsync(lat, lon);
        Assert.Equal(1, result.Accepted);
        await WaitInGeoSetAsync(courier.Id, lat, lon);
        return courier;
    }

    public async Task WaitInGeoSetAsync(Guid courierId, double lat, double lon)
    {
        await Eventually.WaitForAsync(
            () => Redis.GeoPositionAsync(Keys.ZoneCouriers("monaco"), FleetKeys.Member(courierId)),
            p => p is { } pos && Math.Abs(pos.Latitude - lat) < 1e-5 && Math.Abs(pos.Longitude - lon) < 1e-5,
            $"courier {courierId:N} at {lat},{lon} in the Redis geo set");
    }

    public async Task<HubConnection> ConnectTrackingAsync()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(BaseUrl, HubPaths.Tracking)).AddMessagePackProtocol().Build();
        await connection.StartAsync();
        return connection;
    }

    public async Task<string> MerchantTokenAsync(string merchant = "shop-1") => await TokenAsync("merchant", merchant);

    public async Task<HttpResponseMessage> PostOrderAsync(object body, string? idempotencyKey, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    /// <summary>
    /// A tracking token with one signature character changed: the second-to-last, which carries six whole bits (the last one
    /// of an unpadded base64url signature also carries padding bits, so changing it may not change the signature at all).
    /// </summary>
    public static string Forged(string token) => token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

    public static object OrderBody(string kind = "errand", double pickupLat = CasinoLat, double pickupLon = CasinoLon,
        double dropoffLat = FontvieilleLat, double dropoffLon = FontvieilleLon, string phone = "+377 6 12 34 55 70", int? priceCapCents = null) => new
    {
        kind,
        buyForMe = priceCapCents is { } cap ? new { priceCapCents = cap, shoppingList = "1 baguette, 6 eggs, olive oil" } : null,
        pickup = new { lat = pickupLat, lon = pickupLon, address = "Place du Casino" },
        dropoff = new { lat = dropoffLat, lon = dropoffLon, address = "Quai Jean-Charles Rey" },
        customerName = "Claire Martin",
        customerPhone = phone,
        items = new[] { "2 x sorbet", "frozen peas" },
        promisedAt = DateTimeOffset.UtcNow.AddMinutes(45),
    };

    internal async Task<OrderView> CreateOrderAsync(object? body = null, string? merchant = null)
    {
        var response = await PostOrderAsync(body ?? OrderBody(), Guid.NewGuid().ToString(), await MerchantTokenAsync(merchant ?? "shop-1"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderView>(Json))!;
    }

    public Task<HttpResponseMessage> PayAsync(Guid orderId, string? signatureOverride = null) =>
        PostCallbackAsync(JsonSerializer.Serialize(new { orderId, status = "paid", amount = 12.5m }, Json), signatureOverride);

    /// <summary>The provider's signed callback paying <paramref name="amount"/> in <paramref name="currency"/> (a priced order checks both).</summary>
    public Task<HttpResponseMessage> PayAsync(Guid orderId, decimal amount, string currency) =>
        PostCallbackAsync(JsonSerializer.Serialize(new { orderId, status = "paid", amount, currency }, Json), null);

    private async Task<HttpResponseMessage> PostCallbackAsync(string json, string? signatureOverride)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(PaymentsCallback.SignatureHeader, signatureOverride ?? PaymentsCallback.Sign(body, PaymentSecret));
        return await Http.PostAsync("/api/payments/callback", content);
    }

    internal async Task<OrderView> GetOrderAsync(Guid orderId, string role = "dispatcher")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, $"{role}-1"));
        var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<OrderView>(Json))!;
    }

    /// <summary>An HTTP call with a development token of the given role (body as JSON when given).</summary>
    public async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string role, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, $"{role}-1"));
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return await Http.SendAsync(request);
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An order's stored explanations, oldest first, read as the board reads them (they are stored compressed).</summary>
    public async Task<List<Dispatch.Core.Matching.CompactExplanation>> StoredExplanationsAsync(Guid orderId)
    {
        await using var command = Db.CreateCommand("select explanation from dispatch_decisions where order_id = $1 order by at, id");
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new List<Dispatch.Core.Matching.CompactExplanation>();
        while (await reader.ReadAsync()) stored.Add(Dispatch.Server.Dispatching.StoredExplanation.Read(reader.GetFieldValue<byte[]>(0), ""));
        return stored;
    }
}
