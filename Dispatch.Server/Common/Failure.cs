namespace Dispatch.Server.Common;

/// <summary>
/// An expected business refusal (illegal transition, wrong PIN, offer gone, bad field), as a value.
/// HTTP endpoints turn it into problem details; hubs into a HubException with <see cref="Detail"/>.
/// </summary>
public sealed record Failure(int StatusCode, string Title, string Detail, string? Field = null)
{
    public static Failure BadRequest(string field, string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static Failure NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static Failure Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static Failure Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public IResult ToProblem() => Field is null
        ? Results.Problem(statusCode: StatusCode, title: Title, detail: Detail)
        : Results.ValidationProblem(new Dictionary<string, string[]> { [Field] = [Detail] }, detail: Detail, title: Title, statusCode: StatusCode);
}
