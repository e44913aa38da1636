namespace Dispatch.Core.Contracts;

/// <summary>Where a withdrawal stands. Stored as an integer.</summary>
public enum WithdrawalState
{
    Requested = 0,
    Approved = 1,
    Rejected = 2,
}
