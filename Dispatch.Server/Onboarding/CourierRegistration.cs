using Dispatch.Core.Couriers;

namespace Dispatch.Server.Onboarding;

/// <summary>What the runner page's registration form sends: the account to sign in with and the courier to review.</summary>
internal sealed record CourierRegistration(
    string? Username,
    string? Password,
    string? Name,
    string? Phone,
    Vehicle? Vehicle,
    Equipment? Equipment,
    CourierDocument[]? Documents);
