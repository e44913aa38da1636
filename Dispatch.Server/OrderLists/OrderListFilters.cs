using System.Globalization;
using Dispatch.Core.Orders;
using Dispatch.Core.Validation;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.OrderLists;

/// <summary>
/// The filters and page position every order list shares (the board's search, a merchant's own list): created from/to,
/// zone, status (a comma list), courier, kind, cursor and limit. <see cref="Apply"/> adds them and the keyset to a query,
/// newest first by (created_at, id): an index range scan from the cursor, as fast on page 500 as on page 1.
/// </summary>
internal sealed record OrderListFilters(
    DateTimeOffset? From, DateTimeOffset? To, string? Zone, OrderStatus[]? Statuses, Guid? Courier, OrderKind? Kind, OrderCursor? After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxDays = 93;

    /// <summary>Longest value of any filter, characters.</summary>
    public const int MaxLength = 100;

    /// <summary>Whether any filter narrows the list (the page position and size do not).</summary>
    public bool Narrows => From is not null || To is not null || Zone is not null || Statuses is not null || Courier is not null || Kind is not null;

    public static Outcome<OrderListFilters> Parse(IQueryCollection query)
    {
        string? Param(string name) => query[name].FirstOrDefault() is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        // Before any parsing, so no refusal echoes a long or binary value back.
        foreach (var name in new[] { "from", "to", "zone", "status", "courier", "kind", "cursor", "limit" })
        {
            if (TextRules.Check(name, Param(name), MaxLength) is { } bad) return Failure.BadRequest(name, bad);
        }
        if (ParseTime(Param("from"), "from", out var from) is { } badFrom) return badFrom;
        if (ParseTime(Param("to"), "to", out var to) is { } badTo) return badTo;
        if (from is not null && to is not null)
        {
            if (to <= from) return Failure.BadRequest("to", "'to' must be after 'from'.");
            if (to - from > TimeSpan.FromDays(MaxDays)) return Failure.BadRequest("to", $"Search at most {MaxDays} days at a time.");
        }
        OrderStatus[]? statuses = null;
        if (Param("status") is { } statusText)
        {
            // Each name parsed alone: Enum.TryParse would read "Offered,Accepted" as a sum of flags.
            var names = statusText.Split(',', StringSplitOptions.TrimEntries);
            statuses = new OrderStatus[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                if (!TryName(names[i], out statuses[i]))
                    return Failure.BadRequest("status", $"Unknown status '{names[i]}'; use one or more of {string.Join(", ", Enum.GetNames<OrderStatus>())}, separated by commas.");
            }
        }
        OrderKind? kind = null;
        if (Param("kind") is { } kindText)
        {
            if (!TryName(kindText, out OrderKind k)) return Failure.BadRequest("kind", $"Unknown kind '{kindText}'; use one of {string.Join(", ", Enum.GetNames<OrderKind>())}.");
            kind = k;
        }
        Guid? courier = null;
        if (Param("courier") is { } courierText)
        {
            if (!Guid.TryParse(courierText, out var c)) return Failure.BadRequest("courier", $"'{courierText}' is not a courier id.");
            courier = c;
        }
        OrderCursor? after = null;
        if (Param("cursor") is { } cursorText)
        {
            after = OrderCursor.Decode(cursorText);
            if (after is null) return Failure.BadRequest("cursor", "cursor is not one this server handed out; pass the cursor of the previous page (Next-Cursor) unchanged, or none for the first page.");
        }
        var limit = DefaultLimit;
        if (Param("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return Failure.BadRequest("limit", $"limit must be 1..{MaxLimit}.");
        return new OrderListFilters(from, to, Param("zone"), statuses, courier, kind, after, limit);
    }

    /// <summary>The filters, the keyset after the cursor, and the order (newest first, id breaking ties); no limit.</summary>
    public IQueryable<OrderRecord> Apply(IQueryable<OrderRecord> orders)
    {
        if (From is { } f) orders = orders.Where(o => o.CreatedAt >= f);
        if (To is { } t) orders = orders.Where(o => o.CreatedAt < t);
        if (Zone is { } zone) orders = orders.Where(o => o.Zone == zone);
        if (Statuses is { } statuses) orders = orders.Where(o => statuses.Contains(o.Status));
        if (Courier is { } courier) orders = orders.Where(o => o.CourierId == courier);
        if (Kind is { } kind) orders = orders.Where(o => o.Kind == kind);
        if (After is { } after)
        {
            // A row comparison, (created_at, id) < (…, …): one index range condition, where the OR form is not.
            var (at, id) = (after.CreatedAt, after.Id);
            orders = orders.Where(o => EF.Functions.LessThan(ValueTuple.Create(o.CreatedAt, o.Id), ValueTuple.Create(at, id)));
        }
        return orders.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id);
    }

    private static bool TryName<T>(string name, out T value)
        where T : struct, Enum =>
        Enum.TryParse(name, ignoreCase: true, out value) && name.Length > 0 && char.IsAsciiLetter(name[0]) && Enum.IsDefined(value);

    /// <summary>An ISO 8601 date or date-time; a date alone means its midnight UTC, a time without offset means UTC.</summary>
    private static Failure? ParseTime(string? text, string field, out DateTimeOffset? value)
    {
        value = null;
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return Failure.BadRequest(field, $"'{text}' is not a date; use ISO 8601, e.g. 2026-11-25 or 2026-11-25T14:00:00Z.");
        value = parsed;
        return null;
    }
}
