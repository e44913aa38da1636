using System.Globalization;

namespace Dispatch.Core.Orders;

/// <summary>How far ahead an order may be promised: same-city delivery is for today or the next days, not the year 9999. Pure.</summary>
public static class PromiseRules
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(3);

    /// <summary>Why <paramref name="promised"/> is not a promise this service can make at <paramref name="now"/>, or null.</summary>
    public static string? Check(DateTimeOffset promised, DateTimeOffset now) =>
        promised > now + MaxAhead
            ? string.Create(CultureInfo.InvariantCulture, $"promisedAt {promised:O} is more than {MaxAhead.TotalDays:0} days ahead; create the order closer to the time.")
            : null;
}
