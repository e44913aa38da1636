namespace Dispatch.Core.Accounts;

/// <summary>What a phone sign-in code attempt comes to.</summary>
public enum SignInCodeVerdict
{
    Accepted,
    Wrong,
    Expired,
    Used,
    TooManyTries,
}
