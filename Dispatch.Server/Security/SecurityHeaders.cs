using Microsoft.Extensions.Options;

namespace Dispatch.Server.Security;

/// <summary>
/// Adds the browser security headers to every answer (pages, static files, API results, problem details, errors): a
/// Content-Security-Policy that runs only this server's own script files (no inline script, no event-handler attributes,
/// no <c>javascript:</c> URLs, so markup that slips into a page cannot run), no framing, no MIME sniffing, no Referer
/// (tracking tokens are in page URLs), and HSTS over HTTPS. Set when the answer starts, so a handler that clears the
/// response (the exception handler) cannot drop them.
/// </summary>
internal sealed class SecurityHeaders
{
    private readonly RequestDelegate _next;
    private readonly string _policy;
    private readonly string? _hsts;

    public SecurityHeaders(RequestDelegate next, IOptions<SecurityHeadersOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        var o = options.Value;
        _policy = Policy(o.TileSources);
        _hsts = o.HstsMaxAgeSeconds > 0 ? $"max-age={o.HstsMaxAgeSeconds}" : null;
    }

    /// <summary>The policy: own files only; images also from data: URIs (icons) and the tile sources; hubs over ws/wss.</summary>
    public static string Policy(string tileSources) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; " +
        $"img-src 'self' data: {tileSources}; connect-src 'self' ws: wss:; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var (self, http) = ((SecurityHeaders, HttpContext))state;
            self.Apply(http);
            return Task.CompletedTask;
        }, (this, context));
        return _next(context);
    }

    private void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (_hsts is not null && context.Request.IsHttps) headers.StrictTransportSecurity = _hsts;
    }
}
