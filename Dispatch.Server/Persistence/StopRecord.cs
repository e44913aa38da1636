using Dispatch.Core.Errands;

namespace Dispatch.Server.Persistence;

/// <summary>One element of <see cref="OrderRecord.Stops"/> (jsonb): a multi-stop errand's stop. Degrees; <see cref="Action"/> is stored as its number.</summary>
internal sealed record StopRecord(double Lat, double Lon, string Address, StopAction Action, string? Note, DateTimeOffset? DoneAt);
