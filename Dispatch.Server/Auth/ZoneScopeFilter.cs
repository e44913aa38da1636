using Dispatch.Server.Common;
using Npgsql;

namespace Dispatch.Server.Auth;

/// <summary>
/// Refuses a dispatcher a route outside their zones before the handler runs: an order elsewhere is "not found" (as for
/// another merchant's order, its existence is not confirmed), a zone or a courier's orders elsewhere are forbidden.
/// Everyone <see cref="ZoneScope"/> leaves unrestricted passes without a query.
/// </summary>
internal sealed partial class ZoneScopeFilter(ZoneScopeTarget target) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var scope = ZoneScope.Of(http.User);
        if (scope.Zones is null) return await next(context);
        var value = http.Request.RouteValues[target == ZoneScopeTarget.Zone ? "zone" : "id"]?.ToString() ?? "";
        Failure? refused = null;
        if (target == ZoneScopeTarget.Zone)
        {
            if (scope.Refusal(value) is { } why) refused = Failure.Forbidden(why);
        }
        else if (Guid.TryParse(value, out var id))
        {
            var data = http.RequestServices.GetRequiredService<NpgsqlDataSource>();
            await using var command = data.CreateCommand(target == ZoneScopeTarget.Order
                // An archived order keeps its zone's scope: the views read the archive when the live table has no such order.
                ? "select zone from orders where id = $1 union all select zone from archive.orders where id = $1"
                : "select distinct zone from orders where courier_id = $1 and status between 4 and 8");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            var zones = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(http.RequestAborted))
            {
                while (await reader.ReadAsync(http.RequestAborted)) zones.Add(reader.GetString(0));
            }
            var outside = zones.FirstOrDefault(z => !scope.Allows(z));
            if (outside is not null)
            {
                refused = target == ZoneScopeTarget.Order
                    ? Failure.NotFound($"Order {id} does not exist.")
                    : Failure.Forbidden($"Courier {id} holds orders in zone '{outside}'. {scope.Refusal(outside)}");
            }
        }
        if (refused is null) return await next(context);
        LogRefused(http.RequestServices.GetRequiredService<ILogger<ZoneScopeFilter>>(), http.User.FindFirst("sub")?.Value ?? "?", http.Request.Method, http.Request.Path, refused.Detail);
        return refused.ToProblem();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatcher {Subject} refused {Method} {Path} outside their zones: {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string method, string path, string reason);
}
