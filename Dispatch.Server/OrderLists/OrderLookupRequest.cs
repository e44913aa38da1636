namespace Dispatch.Server.OrderLists;

/// <summary>Body of POST /api/orders/lookup: up to <see cref="OrderListsApi.MaxLookup"/> order numbers ("D-000042" or "42").</summary>
internal sealed record OrderLookupRequest(string[]? Numbers);
