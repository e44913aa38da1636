using Dispatch.Core.Reports;

namespace Dispatch.Server.Reports;

/// <summary>A report over whole UTC days [From, To]: each zone's days (rolled up, today live) and today's hours.</summary>
internal sealed record Report(DateOnly From, DateOnly To, string[] Zones, IReadOnlyList<ZoneStatistics> Days, IReadOnlyList<ZoneStatistics> Hours);
