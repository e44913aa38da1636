namespace Dispatch.Server.Persistence;

/// <summary>Where a refund stands. Stored as an integer.</summary>
internal enum RefundState
{
    Pending = 0,

    /// <summary>The provider took it; the order's refunded amount includes it.</summary>
    Done = 1,

    /// <summary>Nothing was owed (the order was never paid, or all of it already went back).</summary>
    NothingOwed = 2,

    /// <summary>The provider refused it every time: a person must look.</summary>
    Failed = 3,
}
