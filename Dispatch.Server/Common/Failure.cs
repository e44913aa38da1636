namespace Dispatch.Server.Common;

/// <summary>
/// An expected business refusal (illegal transition, wrong PIN, offer gone, bad field), as a value.
/// HTTP endpoints turn it into problem details; hubs into a HubException with <see cref="Detail"/>.
/// </summary>
internal sealed record Failure(int StatusCode, string Title, string Detail, string? Field = null)
{
    public static Failure BadRequest(string field, string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static Failure NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static Failure Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static Failure Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public IResult ToProblem() => Field is null
        ? Results.Problem(statusCode: StatusCode, title: Title, detail: Detail)
        : Results.ValidationProblem(new Dictionary<string, string[]> { [Field] = [Detail] }, detail: Detail, title: Title, statusCode: StatusCode);

    /// <summary>The same shape as <see cref="ToProblem"/> with a field, for writers that take a ProblemDetails.</summary>
    public static HttpValidationProblemDetails Problem(int statusCode, string title, string detail, string field) =>
        new(new Dictionary<string, string[]> { [field] = [detail] }) { Status = statusCode, Title = title, Detail = detail };
}
