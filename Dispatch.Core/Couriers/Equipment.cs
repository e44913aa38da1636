namespace Dispatch.Core.Couriers;

/// <summary>Cold-chain equipment a courier brings online. Frozen goods need an insulated box or an active cooler.</summary>
public enum Equipment
{
    None = 0,
    InsulatedBox = 1,
    ActiveCooler = 2,
}
