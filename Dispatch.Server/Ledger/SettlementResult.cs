namespace Dispatch.Server.Ledger;

/// <summary>
/// What a settlement run did for a day: couriers' days (per time zone) it closed now, those closed before (a replay), the
/// minor units moved now, and the time zones whose day had not ended yet (settled by a later run).
/// </summary>
internal sealed record SettlementResult(DateOnly Day, int Settled, int AlreadySettled, long MovedCents, int NotEndedTimeZones = 0);
