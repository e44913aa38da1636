namespace Dispatch.Server.Accounts;

/// <summary>One page of an admin list, keyset-paged: <see cref="Next"/> is the <c>after</c> of the next page, null on the last.</summary>
internal sealed record ListPage<T>(IReadOnlyList<T> Items, string? Next);
