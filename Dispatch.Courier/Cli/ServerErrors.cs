using System.Net;
using System.Net.WebSockets;
using Dispatch.Core.Contracts;
using Dispatch.Courier.Api;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Courier.Cli;

/// <summary>Turns a failure talking to the server into one sentence that says what happened and what to do next.</summary>
internal static class ServerErrors
{
    public const string StartHint = "Start the server with ./run.sh, or point --server (or DISPATCH_SERVER) at a running one.";

    /// <summary>Advice for a known kind of failure; null for anything else (probably a bug: show the stack).</summary>
    public static string? Describe(Exception error, Uri server)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var e = error; e is not null; e = e.InnerException)
        {
            var advice = e switch
            {
                DispatchApiException api => DescribeApi(api, server),
                HttpRequestException { StatusCode: { } status } http => DescribeStatus(status, http.Message, server),
                HttpRequestException http => $"Cannot reach the server at {server} ({http.Message}). {StartHint}",
                WebSocketException ws => DescribeWebSocket(ws, server),
                HubException hub => $"The server refused: {hub.Message}",
                TimeoutException => $"The server at {server} did not answer in time. Is it overloaded or still starting? {StartHint}",
                _ => null,
            };
            if (advice is not null) return advice;
        }
        return null;
    }

    private static string DescribeApi(DispatchApiException api, Uri server)
    {
        var path = "/" + api.RequestPath;
        if (api.StatusCode == HttpStatusCode.NotFound && api.RequestPath.StartsWith("dev/", StringComparison.Ordinal))
            return $"The server at {server} has no {path}: the /dev endpoints exist only in Development. "
                + "Is the server in Development? Start it with ./run.sh (ASPNETCORE_ENVIRONMENT=Development).";
        return api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"{api.Message}. The token was refused: get a fresh one (POST /dev/token in Development).",
            HttpStatusCode.Forbidden => $"{api.Message}. The token's role may not call {path}.",
            HttpStatusCode.NotFound => $"{api.Message}. Is --server pointing at a Dispatch server ({server})?",
            _ => api.Message,
        };
    }

    private static string DescribeStatus(HttpStatusCode status, string message, Uri server) => status switch
    {
        HttpStatusCode.Unauthorized => $"The server at {server} refused the token (401). Get a fresh one and pass it with --token.",
        HttpStatusCode.NotFound => $"The server at {server} answered 404. Is --server pointing at a Dispatch server?",
        _ => $"The server at {server} answered {(int)status}: {message}",
    };

    private static string DescribeWebSocket(WebSocketException ws, Uri server)
    {
        // ClientWebSocket reports the HTTP status only in its message: "...status code '401' when status code '101'...".
        if (ws.Message.Contains("'401'", StringComparison.Ordinal))
            return $"The server at {server} refused the courier token (401) on {HubPaths.Courier}. "
                + "Pass a valid courier token with --token (in Development: POST /dev/fleet or POST /dev/token with role courier).";
        if (ws.Message.Contains("'404'", StringComparison.Ordinal))
            return $"The server at {server} has no {HubPaths.Courier} (404). Is --server pointing at a Dispatch server?";
        if (ws.Message.Contains("status code", StringComparison.Ordinal))
            return $"The server at {server} would not open {HubPaths.Courier}: {ws.Message}";
        return $"Cannot reach the server at {server} ({ws.Message}). {StartHint}";
    }
}
