using Dispatch.Core.Validation;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Customers;

/// <summary>A customer's saved addresses: list, add, change, delete, each only ever the customer's own.</summary>
internal sealed partial class AddressBook(IDbContextFactory<DispatchDbContext> dbs, ZoneMap zones, IOptions<CustomerOptions> options, TimeProvider clock, ILogger<AddressBook> logger)
{
    public const int MaxLabelLength = 40;

    /// <summary>Body of POST and PUT /api/customers/me/addresses. Degrees.</summary>
    public sealed record AddressRequest(string? Label, string? Address, double? Lat, double? Lon);

    public sealed record AddressView(Guid Id, string Label, string Address, double Lat, double Lon);

    public async Task<AddressView[]> ListAsync(Guid customerId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<CustomerAddressRecord>().AsNoTracking().Where(a => a.CustomerId == customerId).OrderBy(a => a.Label).ThenBy(a => a.Id)
            .Select(a => new AddressView(a.Id, a.Label, a.Address, a.Lat, a.Lon)).ToArrayAsync(ct);
    }

    public async Task<Outcome<AddressView>> AddAsync(Guid customerId, AddressRequest request, CancellationToken ct)
    {
        if (Check(request) is { } bad) return Refused(customerId, bad);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var count = await db.Set<CustomerAddressRecord>().CountAsync(a => a.CustomerId == customerId, ct);
        if (count >= options.Value.MaxAddresses) return Refused(customerId, Failure.Conflict($"You have {count} saved addresses, the most there may be; delete one first."));
        var record = new CustomerAddressRecord
        {
            Id = Guid.CreateVersion7(),
            CustomerId = customerId,
            Label = request.Label!.Trim(),
            Address = request.Address!.Trim(),
            Lat = request.Lat!.Value,
            Lon = request.Lon!.Value,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Set<CustomerAddressRecord>().Add(record);
        await db.SaveChangesAsync(ct);
        return new AddressView(record.Id, record.Label, record.Address, record.Lat, record.Lon);
    }

    public async Task<Outcome<AddressView>> ChangeAsync(Guid customerId, Guid id, AddressRequest request, CancellationToken ct)
    {
        if (Check(request) is { } bad) return Refused(customerId, bad);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (label, address, lat, lon) = (request.Label!.Trim(), request.Address!.Trim(), request.Lat!.Value, request.Lon!.Value);
        var rows = await db.Set<CustomerAddressRecord>().Where(a => a.Id == id && a.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Label, label).SetProperty(a => a.Address, address).SetProperty(a => a.Lat, lat).SetProperty(a => a.Lon, lon), ct);
        return rows == 0 ? NotFound(id) : new AddressView(id, label, address, lat, lon);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid customerId, Guid id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Set<CustomerAddressRecord>().Where(a => a.Id == id && a.CustomerId == customerId).ExecuteDeleteAsync(ct);
        return rows == 0 ? NotFound(id) : true;
    }

    // Another customer's address answers like a missing one: its existence is not theirs to know.
    private static Failure NotFound(Guid id) => Failure.NotFound($"Address {id} does not exist.");

    private Failure Refused(Guid customerId, Failure failure)
    {
        LogRefused(logger, customerId, failure.Field ?? "", failure.Detail);
        return failure;
    }

    private Failure? Check(AddressRequest r)
    {
        if (TextRules.Check("label", r.Label, MaxLabelLength) is { } label) return Failure.BadRequest("label", label);
        if (string.IsNullOrWhiteSpace(r.Label)) return Failure.BadRequest("label", $"label names the place (\"Home\"; 1–{MaxLabelLength} characters).");
        if (TextRules.Check("address", r.Address, TextRules.MaxLineLength) is { } address) return Failure.BadRequest("address", address);
        if (string.IsNullOrWhiteSpace(r.Address)) return Failure.BadRequest("address", $"address is required (1–{TextRules.MaxLineLength} characters).");
        var place = Orders.OrderRequestValidator.Place(new Orders.PlaceDto(r.Lat, r.Lon, r.Address), "place");
        if (!place.Ok) return Failure.BadRequest(place.Failure!.Field == "place.lat" ? "lat" : "lon", place.Failure.Detail.Replace("place.", "", StringComparison.Ordinal));
        if (zones.Find(place.Value) is null) return Failure.BadRequest("lat", $"{place.Value} is outside every zone served; save places where orders can be delivered.");
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Address change of customer {CustomerId} refused ({Field}): {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid customerId, string field, string reason);
}
