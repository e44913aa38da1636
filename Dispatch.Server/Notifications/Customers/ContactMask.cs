using Dispatch.Core.Orders;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>How a customer's addresses appear in logs: enough to tell two apart, not enough to reach anyone.</summary>
internal static class ContactMask
{
    public static string Phone(string phone) => PhoneMask.Mask(phone);

    /// <summary>"c****@example.org" of "claire@example.org".</summary>
    public static string Email(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0) return new string('*', email.Length);
        return string.Concat(email.AsSpan(0, 1), new string('*', Math.Max(3, at - 1)), email.AsSpan(at));
    }

    /// <summary>The first 4 characters of an openid.</summary>
    public static string OpenId(string openId) => openId.Length <= 4 ? "****" : string.Concat(openId.AsSpan(0, 4), "****");
}
