using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Core.Webhooks;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Webhooks;

/// <summary>Turns an outbox event into the merchant it is for and the body its endpoints receive; the one place that chooses what a merchant sees.</summary>
internal static class WebhookBodies
{
    /// <summary>The merchant and body of <paramref name="e"/>, or null for kinds that are no webhook.</summary>
    public static (string MerchantId, string Body)? Build(OutboxEvent e)
    {
        switch (e.Kind)
        {
            case WebhookEventTypes.OrderStatus:
            {
                var m = e.Read<OrderMoved>();
                var reason = m.To is OrderStatus.Cancelled or OrderStatus.Failed ? m.Note : null;
                var data = new OrderStatusData(m.OrderId, OrderRecord.FormatNumber(m.Number), m.To, m.From, m.At, m.CourierId is not null, reason);
                return (m.MerchantId, Serialize(e, data));
            }
            case WebhookEventTypes.OrderArriving:
            {
                var a = e.Read<OrderArriving>();
                return (a.MerchantId, Serialize(e, new OrderArrivingData(a.OrderId, OrderRecord.FormatNumber(a.Number), a.EtaSeconds, a.At)));
            }
            default:
                return null;
        }
    }

    private static string Serialize<T>(OutboxEvent e, T data) =>
        JsonSerializer.Serialize(new WebhookBody<T>(e.EventId, e.Kind, e.CreatedAt, data), OutboxJson.Options);
}
