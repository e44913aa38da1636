using System.Net;
using System.Net.Sockets;
using Dispatch.Core.Webhooks;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Opens the webhook sender's connections: resolves the host itself and, unless private addresses are allowed, connects
/// only to a public one (<see cref="WebhookAddressRules"/>), so a merchant's URL cannot reach the server's own network.
/// </summary>
internal static class WebhookConnections
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) => async (context, ct) =>
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(WebhookAddressRules.IsPublic)];
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"{host} resolves to no public address ({string.Join(", ", addresses.Select(a => a.ToString()))}); webhooks go to public addresses only (Webhooks:AllowPrivateAddresses).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
