namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.RoutePlanned"/>: version <paramref name="Version"/> of the route of
/// <paramref name="OrderId"/> was stored for <paramref name="CourierId"/>; its path is read from <c>routes</c> when the push goes out.
/// </summary>
internal sealed record RoutePlanned(Guid OrderId, Guid CourierId, int Version);
