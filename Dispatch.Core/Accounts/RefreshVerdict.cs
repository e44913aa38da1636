namespace Dispatch.Core.Accounts;

public enum RefreshVerdict
{
    /// <summary>Spend it and issue its successor in the same family.</summary>
    Rotate,

    /// <summary>Used before: revoke the family.</summary>
    Reused,

    Revoked,
    Expired,
    Suspended,
}
