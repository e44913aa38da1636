namespace Dispatch.Core.Webhooks;

/// <summary>
/// Which URLs a merchant may register: absolute http(s), no user name or password in it (they would be stored and logged
/// in plain text), at most <see cref="MaxLength"/> characters; https only in production, where plain http is allowed
/// nowhere; elsewhere plain http only to this machine (tests, the demo). Pure.
/// </summary>
public static class WebhookUrlRules
{
    public const int MaxLength = 2_000;

    /// <summary>Why <paramref name="url"/> cannot be an endpoint, or null when it can.</summary>
    public static string? Check(string? url, bool production)
    {
        if (string.IsNullOrWhiteSpace(url)) return "url is required: the https:// address that receives the events.";
        if (url.Length > MaxLength) return $"url must be at most {MaxLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "url must be an absolute http(s) address such as https://shop.example/dispatch-events.";
        if (uri.UserInfo.Length > 0) return "url must not carry a user name or password; authenticate events by their signature.";
        if (uri.Fragment.Length > 0) return "url must not have a #fragment.";
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (production) return "url must use https.";
            if (!uri.IsLoopback) return "url must use https (plain http is allowed only to 127.0.0.1 or localhost outside production).";
        }
        return null;
    }
}
