namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.RoutePlanned"/>: version <paramref name="Version"/> of the route of
/// <paramref name="OrderId"/> was stored for <paramref name="CourierId"/>; its path is read from <c>routes</c> when the push goes out.
/// <paramref name="Attached"/>: planned on the node holding the courier, whose book has it already (otherwise that node attaches it).
/// </summary>
internal sealed record RoutePlanned(Guid OrderId, Guid CourierId, int Version, bool Attached = false);
