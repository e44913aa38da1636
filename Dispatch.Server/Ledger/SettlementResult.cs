namespace Dispatch.Server.Ledger;

/// <summary>What a settlement run did for a day: couriers whose day it closed now, those closed before (a replay), and the minor units moved now.</summary>
public sealed record SettlementResult(DateOnly Day, int Settled, int AlreadySettled, long MovedCents);
