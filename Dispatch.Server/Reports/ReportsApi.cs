using System.Security.Claims;
using Dispatch.Core.Zones;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Reports;

/// <summary>
/// GET /api/reports?from=2026-11-01&amp;to=2026-11-30&amp;zone=monaco (JSON) and GET /api/reports.csv (the same as CSV):
/// each zone's daily figures over whole UTC days, today live with its hours. Admins see every zone, dispatchers the zones
/// of their account (the "zones" claim); no zone given = all the caller may see.
/// </summary>
internal static partial class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin));
        group.MapGet("/reports", async (HttpContext http, StatisticsRollup rollup, ZoneMap zones, IOptions<ReportsOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (report, refusal) = await ReportAsync(http, rollup, zones, options.Value, clock, loggers, ct);
            return refusal?.ToProblem() ?? Results.Ok(report);
        });
        group.MapGet("/reports.csv", async (HttpContext http, StatisticsRollup rollup, ZoneMap zones, IOptions<ReportsOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (report, refusal) = await ReportAsync(http, rollup, zones, options.Value, clock, loggers, ct);
            if (refusal is not null) return refusal.ToProblem();
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"dispatch-report-{report!.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.csv\"";
            return Results.Text(ReportCsv.Write(report), "text/csv; charset=utf-8");
        });
        return app;
    }

    private static async Task<(Report? Report, Failure? Refusal)> ReportAsync(
        HttpContext http, StatisticsRollup rollup, ZoneMap zones, ReportsOptions options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (range, refusal) = ReportRange.Parse(http.Request.Query, today, options.MaxRangeDays);
        string[] wanted = [];
        if (refusal is null) (wanted, refusal) = Zones(http.User, http.Request.Query["zone"].ToString(), zones);
        if (refusal is not null)
        {
            LogRefused(loggers.CreateLogger(typeof(ReportsApi).FullName!), http.User.FindFirstValue("sub") ?? "", refusal.Detail);
            return (null, refusal);
        }
        return (await rollup.ReportAsync(wanted, range!.From, range.To, ct), null);
    }

    /// <summary>The zones the report covers: the one asked for, or all the caller may see.</summary>
    private static (string[] Zones, Failure? Refusal) Zones(ClaimsPrincipal user, string asked, ZoneMap zones)
    {
        var served = zones.All.Select(z => z.Name).ToArray();
        var allowed = user.IsInRole(Roles.Admin) ? served : [.. served.Intersect(user.FindAll(AccountClaims.Zones).Select(c => c.Value), StringComparer.Ordinal)];
        if (asked.Length == 0)
        {
            return allowed.Length == 0 ? ([], Failure.Forbidden("Your account has no zones; an admin gives a dispatcher the zones they report on.")) : (allowed, null);
        }
        if (asked.Length > 100 || zones.ByName(asked) is null) return ([], Failure.BadRequest("zone", $"No zone '{Shorten(asked)}' is served here; see GET /api/zones."));
        return allowed.Contains(asked, StringComparer.Ordinal) ? ([asked], null) : ([], Failure.Forbidden($"Your account may not see zone {asked}."));
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Report for {Caller} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string caller, string reason);
}
