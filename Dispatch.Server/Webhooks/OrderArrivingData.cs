namespace Dispatch.Server.Webhooks;

/// <summary>Data of an order.arriving webhook: the courier is about <paramref name="EtaSeconds"/> from the drop-off.</summary>
internal sealed record OrderArrivingData(Guid OrderId, string Number, int EtaSeconds, DateTimeOffset At);
