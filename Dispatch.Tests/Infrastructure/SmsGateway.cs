using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A real HTTP SMS gateway (and WeChat template endpoint) for tests (Kestrel on 127.0.0.1, random port): records every POST /sms (API key header and
/// JSON body) in <see cref="Requests"/>, and answers with the status <see cref="AnswerFor"/> gives for the number.
/// </summary>
public sealed class SmsGateway : IAsyncDisposable
{
    public sealed record SmsRequest(string? ApiKey, string To, string Text, int Answered);

    private readonly WebApplication _app;

    private SmsGateway(WebApplication app) => _app = app;

    public Inbox<SmsRequest> Requests { get; } = new();

    /// <summary>Number (E.164) → HTTP status; 202 for any other number.</summary>
    public Dictionary<string, int> Answers { get; } = [];

    public Uri Url { get; private set; } = null!;

    /// <summary>WeChat template sends: the access token on the query string and the JSON body.</summary>
    public Inbox<(string? AccessToken, JsonElement Body)> WeChat { get; } = new();

    /// <summary>The WeChat template message endpoint; answers errcode 43004 (not following) for openid "oNotFollowing", else 0.</summary>
    public Uri WeChatUrl => new(Url, "/wechat");

    public static async Task<SmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new SmsGateway(app);
        app.MapPost("/sms", async (HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            var to = body.GetProperty("to").GetString()!;
            var status = gateway.Answers.GetValueOrDefault(to, 202);
            gateway.Requests.Add(new SmsRequest(http.Request.Headers["X-Api-Key"].FirstOrDefault(), to, body.GetProperty("text").GetString()!, status));
            return Results.StatusCode(status);
        });
        app.MapPost("/wechat", async (HttpContext http) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            gateway.WeChat.Add((http.Request.Query["access_token"].FirstOrDefault(), body));
            return Results.Json(new { errcode = body.GetProperty("touser").GetString() == "oNotFollowing" ? 43004 : 0, errmsg = "ok" });
        });
        await app.StartAsync();
        gateway.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()), "/sms");
        return gateway;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
