namespace Dispatch.Core.Reports;

/// <summary>A zone's day or hour, [Start, Start + Hours).</summary>
public readonly record struct ReportPeriod(string Zone, DateTimeOffset Start, int Hours)
{
    public DateTimeOffset End => Start.AddHours(Hours);

    public bool Holds(DateTimeOffset at) => at >= Start && at < End;
}
