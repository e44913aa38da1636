using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Notifications:WeChat: WeChat official account template messages.</summary>
internal sealed class WeChatTemplateOptions
{
    [Url]
    public string ApiUrl { get; set; } = "https://api.weixin.qq.com/cgi-bin/message/template/send";

    /// <summary>The access token (a secret, kept fresh by whoever holds the app secret; never committed).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Template id per notice kind (CourierFound, PickedUp, …); a kind without one is skipped.</summary>
    public Dictionary<string, string> TemplateIds { get; set; } = [];

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}
