using System.Net.Mail;
using Dispatch.Core.Notifications;
using Dispatch.Core.Validation;
using Dispatch.Server.Common;
using Dispatch.Server.Orders;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Checks the notification fields of a create-order request: language, e-mail, WeChat openid.</summary>
internal static class CustomerContact
{
    public const int MaxEmailLength = 254;
    public const int MaxOpenIdLength = 64;

    /// <summary>The language (the default when none is given), e-mail and openid ("" when none), or the first bad field.</summary>
    public static Outcome<(string Language, string Email, string OpenId)> Validate(CreateOrderRequest r, string defaultLanguage)
    {
        ArgumentNullException.ThrowIfNull(r);
        var language = defaultLanguage;
        if (r.CustomerLanguage is not null)
        {
            if (CustomerLanguages.Normalize(r.CustomerLanguage) is not { } supported)
                return Failure.BadRequest("customerLanguage", $"customerLanguage must be one of {string.Join(", ", CustomerLanguages.Supported)}.");
            language = supported;
        }
        var email = "";
        if (r.CustomerEmail is not null)
        {
            if (TextRules.Check("customerEmail", r.CustomerEmail, MaxEmailLength) is { } bad) return Failure.BadRequest("customerEmail", bad);
            var trimmed = r.CustomerEmail.Trim();
            if (trimmed.Length > 0 && (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || trimmed.Contains(' ', StringComparison.Ordinal)))
                return Failure.BadRequest("customerEmail", "customerEmail must be an e-mail address such as claire@example.org.");
            email = trimmed;
        }
        var openId = "";
        if (r.CustomerWeChatOpenId is not null)
        {
            var trimmed = r.CustomerWeChatOpenId.Trim();
            if (trimmed.Length > MaxOpenIdLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return Failure.BadRequest("customerWeChatOpenId", $"customerWeChatOpenId must be a WeChat openid: at most {MaxOpenIdLength} letters, digits, '-' or '_'.");
            openId = trimmed;
        }
        return (language, email, openId);
    }
}
