using Dispatch.Server.Outbox;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// One event as a test consumer got it: which consumer (so which relay), in which batch, and when (<paramref name="Tick"/>
/// increases across every consumer of the test process, so it orders hand-overs between relays).
/// </summary>
internal sealed record OutboxDelivery(string Consumer, long Batch, long Tick, OutboxEvent Event);
