using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Hubs;

/// <summary>
/// Logs every refused hub call, and turns unexpected failures into a HubException with a message that says
/// what to do, instead of SignalR's generic "An unexpected error occurred".
/// </summary>
internal sealed partial class HubErrorFilter(Common.RefusalLog refusals, ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext;
        try
        {
            return await next(context);
        }
        catch (HubException ex)
        {
            Refused(context, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (context.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw new HubException("The connection closed before the call finished; retry after reconnecting.");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException)
        {
            Refused(context, ex.Message);
            throw new HubException($"{context.HubMethodName}: the arguments were malformed ({ex.Message}).");
        }
        catch (Exception ex) when (Common.DependencyDown.Of(ex) is { } dependency)
        {
            Refused(context, dependency + " unreachable");
            throw new HubException($"{context.HubMethodName}: {Common.DependencyDown.Message(dependency)}");
        }
        catch (Exception ex)
        {
            LogFailed(logger, context.HubMethodName, context.Context.UserIdentifier ?? "anonymous", ex);
            throw new HubException($"{context.HubMethodName} failed on the server; nothing was changed by the failed part. Retry in a moment.");
        }
    }

    /// <summary>Logged at most once per caller and method per interval, so a client repeating a bad call cannot flood the log.</summary>
    private void Refused(HubInvocationContext context, string reason)
    {
        var user = context.Context.UserIdentifier ?? context.Context.ConnectionId;
        if (refusals.ShouldLog(context.HubMethodName, user, out var suppressed)) LogRefused(logger, context.HubMethodName, user, reason, suppressed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub call {Method} by {User} refused: {Reason} ({Suppressed} similar refusals not logged)")]
    private static partial void LogRefused(ILogger logger, string method, string user, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} by {User} failed")]
    private static partial void LogFailed(ILogger logger, string method, string user, Exception ex);
}
