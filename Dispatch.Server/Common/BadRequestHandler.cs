using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Dispatch.Server.Common;

/// <summary>
/// A request the framework could not read (malformed or wrong-typed JSON, a query value of the wrong type, a body over the
/// endpoint's limit) becomes a problem naming the field, with the same status in every environment: 400, 413 or 415,
/// never a 500 or a stack trace. <see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/> is on
/// everywhere so binding failures reach this handler instead of ending as a bare status.
/// </summary>
internal sealed partial class BadRequestHandler(IProblemDetailsService problems, RefusalLog refusals, ILogger<BadRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted) return false;
        var limit = httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        var (field, detail) = RequestErrors.Describe(bad, limit);
        if (refusals.ShouldLog("bad-request", RateLimits.Address(httpContext), out var suppressed))
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, field, detail, suppressed);
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = Failure.Problem(bad.StatusCode, bad.StatusCode == StatusCodes.Status400BadRequest ? "Invalid request" : ReasonPhrase(bad.StatusCode), detail, field);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    /// <summary>
    /// A 413 or 415 the framework answered itself (model binding caught Kestrel's refusal, or saw no JSON content type) gets
    /// the same detail and field as one this handler writes.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => RequestErrors.TooLarge(context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize),
            StatusCodes.Status415UnsupportedMediaType => RequestErrors.NotJson,
            _ => null,
        };
        if (detail is null) return;
        context.ProblemDetails.Detail = detail;
        context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [RequestErrors.BodyField] = [detail] };
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} ({Field}): {Detail} ({Suppressed} more from this address not logged)")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string field, string detail, long suppressed);
}
