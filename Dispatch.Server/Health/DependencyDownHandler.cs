using Dispatch.Server.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Dispatch.Server.Health;

/// <summary>
/// A request that failed because PostgreSQL or Redis is unreachable answers 503 with Retry-After and a problem naming the
/// dependency, instead of a 500: the client should retry, and the transaction it asked for was rolled back or never begun.
/// </summary>
internal sealed partial class DependencyDownHandler(IProblemDetailsService problems, RefusalLog refusals, ILogger<DependencyDownHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (DependencyDown.Of(exception) is not { } dependency || httpContext.Response.HasStarted) return false;
        if (refusals.ShouldLog("dependency-down", dependency, out var suppressed))
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, dependency, suppressed, exception);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = DependencyDown.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = DependencyDown.Message(dependency),
            Extensions = { ["dependency"] = dependency, ["retryAfterSeconds"] = DependencyDown.RetryAfterSeconds },
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} refused with 503: {Dependency} unreachable ({Suppressed} similar refusals not logged)")]
    private static partial void LogRefused(ILogger logger, string method, string path, string dependency, long suppressed, Exception ex);
}
