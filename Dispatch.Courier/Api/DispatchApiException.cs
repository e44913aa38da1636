using System.Net;

namespace Dispatch.Courier.Api;

/// <summary>The server answered an HTTP API call with an error status; carries the problem details it sent.</summary>
internal sealed class DispatchApiException : Exception
{
    public DispatchApiException()
    {
    }

    public DispatchApiException(string message)
        : base(message)
    {
    }

    public DispatchApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DispatchApiException(string message, HttpStatusCode statusCode, string requestPath, string? title, string? detail)
        : base(message)
    {
        StatusCode = statusCode;
        RequestPath = requestPath;
        Title = title;
        Detail = detail;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Path of the failed call relative to the server, e.g. "dev/fleet".</summary>
    public string RequestPath { get; } = "";

    public string? Title { get; }

    public string? Detail { get; }

    /// <summary>The server's Retry-After (a 429, or a 503 while a dependency is down), when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
