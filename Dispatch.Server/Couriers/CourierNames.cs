using System.Collections.Concurrent;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Couriers;

/// <summary>
/// Courier id → display name for the board. Filled when a courier goes online on this node (PresenceCoordinator), and by the control-room
/// refresh for couriers it has not seen (one query for all the missing ones). Names never change, so nothing expires.
/// </summary>
internal sealed class CourierNames(IDbContextFactory<DispatchDbContext> dbs)
{
    private readonly ConcurrentDictionary<Guid, string> _names = new();

    public string? Find(Guid courierId) => _names.GetValueOrDefault(courierId);

    public void Remember(Guid courierId, string name) => _names[courierId] = name;

    /// <summary>Looks up the names not known yet; returns the ids newly learnt.</summary>
    public async Task<IReadOnlyList<Guid>> LoadMissingAsync(IEnumerable<Guid> courierIds, CancellationToken ct)
    {
        var missing = courierIds.Where(id => !_names.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.Couriers.AsNoTracking().Where(c => missing.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        foreach (var c in found) _names[c.Id] = c.Name;
        return [.. found.Select(c => c.Id)];
    }
}
