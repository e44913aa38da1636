using Dispatch.Server.Zones;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A deployment whose fixture node serves couriers and customers but dispatches no zone, so the zones go to the extra nodes a
/// test starts (<see cref="DispatcherNodeAsync"/>). Batch dispatch with a window so long that no loop runs a round by itself.
/// </summary>
public sealed class ZoneLeaseServer : DispatchServer
{
    public const int LeaseSeconds = 2;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:DispatchesZones"] = "false";
        settings["Dispatch:Strategy"] = "batch";
        settings["Dispatch:BatchWindowSeconds"] = "300";
    }

    /// <summary>A node of the same deployment that dispatches zones, with a lease of <paramref name="leaseSeconds"/>.</summary>
    public Task<ExtraNode> DispatcherNodeAsync(int leaseSeconds = LeaseSeconds) => ExtraNode.StartAsync(ExtraNode.SettingsOf(this, new Dictionary<string, string?>
    {
        ["Dispatch:ZoneLeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Dispatch:Strategy"] = "batch",
        ["Dispatch:BatchWindowSeconds"] = "300",
    }));

    public static string HolderOf(ExtraNode node) => node.Services.GetRequiredService<ZoneLeadership>().Holder;

    /// <summary>The zone's lease as stored: holder and token, or ("", 0) before anyone took it.</summary>
    public async Task<(string Holder, long Token)> LeaseAsync(string zone)
    {
        await using var command = Db.CreateCommand("select holder, token from zone_leases where zone = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = zone });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1)) : ("", 0);
    }
}
