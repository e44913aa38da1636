namespace Dispatch.Server.Zones;

/// <summary>The check of a zone's time zone: an IANA id (not a Windows name) that this machine's time zone data holds.</summary>
internal static class ZoneTimeZones
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="id"/> will not do as a zone's time zone; null when it will.</summary>
    public static string? Problem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is 0 or > MaxLength || id.Any(char.IsControl)) return $"timeZone must be an IANA time zone id such as Asia/Shanghai (1..{MaxLength} characters).";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId || !string.Equals(zone.Id, id, StringComparison.Ordinal))
            return $"timeZone '{id}' is not an IANA time zone id this server knows (such as Asia/Shanghai or Europe/Paris).";
        return null;
    }
}
