using Dispatch.Core.Streets;
using Dispatch.Server.Common;

namespace Dispatch.Server.Streets;

/// <summary>
/// GET /api/tiles/{z}/{x}/{y}.mvt: the served zones' streets as a Mapbox vector tile (layer "streets": name, class).
/// Anonymous like GET /api/zones: a tile holds only public road data (OpenStreetMap), and the tracking page, which
/// has no sign-in, draws them too. Rate limited per client address; ETag and Cache-Control let browsers keep them.
/// </summary>
internal static partial class StreetsApi
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    /// <summary>Browsers and proxies may reuse a tile this long, seconds, then revalidate with its ETag (a 304 is cheap).</summary>
    public const int MaxAgeSeconds = 3_600;

    public static IEndpointRouteBuilder MapStreetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tiles/{z:int}/{x:int}/{y:int}.mvt", GetAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Tiles);
        return app;
    }

    private static async Task<IResult> GetAsync(int z, int x, int y, HttpContext http, StreetTiles tiles, ILoggerFactory loggers, CancellationToken ct)
    {
        if (StreetTileRules.Refusal(z, x, y) is { } refusal)
        {
            LogRefused(loggers.CreateLogger(typeof(StreetsApi).FullName!), z, x, y, refusal.Reason);
            return Failure.BadRequest(refusal.Field, refusal.Reason).ToProblem();
        }
        var tile = await tiles.GetAsync(new StreetTile(z, x, y), ct);
        var headers = http.Response.Headers;
        headers.ETag = tile.ETag;
        headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        headers["X-Tile-Source"] = tile.Source;
        if (http.Request.Headers.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == tile.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(tile.Bytes, ContentType);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Street tile {Z}/{X}/{Y} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, int z, int x, int y, string reason);
}
