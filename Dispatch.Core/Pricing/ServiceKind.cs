namespace Dispatch.Core.Pricing;

/// <summary>The kinds of errand a customer can order from the catalogue.</summary>
public enum ServiceKind
{
    Parcel,
    BuyForMe,
    MultiStop,
    Frozen,
}
