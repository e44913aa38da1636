namespace Dispatch.Core.Zones;

/// <summary>
/// The zones a member of staff may see and act on: a dispatcher account's own list (possibly empty), or every zone
/// (<see cref="Everywhere"/>: admins, and the development tokens that carry no account).
/// </summary>
public sealed record DispatcherScope(IReadOnlySet<string>? Zones)
{
    public static readonly DispatcherScope Everywhere = new((IReadOnlySet<string>?)null);

    public bool Allows(string zone) => Zones is null || Zones.Contains(zone);

    /// <summary>Why <paramref name="zone"/> is refused; null when it is allowed.</summary>
    public string? Refusal(string zone) => Allows(zone)
        ? null
        : $"You are not given zone '{zone}'; an admin gives dispatchers their zones (yours: {(Zones!.Count == 0 ? "none" : string.Join(", ", Zones.Order(StringComparer.Ordinal)))}).";
}
