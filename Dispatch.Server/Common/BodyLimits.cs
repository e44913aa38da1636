using Microsoft.AspNetCore.Mvc;

namespace Dispatch.Server.Common;

/// <summary>
/// Request body limits, bytes. Kestrel refuses a larger body while it arrives (a Content-Length above the limit before a
/// byte is read), so nothing is buffered past them; the endpoint's metadata sets its own, the global one covers the rest.
/// </summary>
internal static class BodyLimits
{
    /// <summary>Every endpoint without its own limit: small commands (cancel, assign, acknowledge, strategy, dev helpers).</summary>
    public const long Default = 16 * 1024;

    /// <summary>Order creation: five stops with 300-character addresses and notes, 100 items and a shopping list fit with room.</summary>
    public const long Order = 64 * 1024;

    /// <summary>The payment provider's callback: an order id, a status and an amount.</summary>
    public const long PaymentCallback = 16 * 1024;

    /// <summary>A zone boundary as WKT: a few thousand vertices.</summary>
    public const long ZoneBoundary = 256 * 1024;

    /// <summary>Gives an endpoint its own body limit (honoured by routing before the handler or its binding reads a byte).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(bytes));
}
