using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// E-mail through an SMTP relay (System.Net.Mail). A mailbox the relay rejects is skipped; a relay that is down or busy is
/// thrown to be retried.
/// </summary>
internal sealed class SmtpCustomerNotifier(IOptions<CustomerNotificationOptions> options) : ICustomerNotifier
{
    public CustomerChannel Channel => CustomerChannel.Smtp;

    public async Task<CustomerSendResult> SendAsync(CustomerMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value.Smtp;
        if (message.Email.Length == 0) return CustomerSendResult.Skip("the order has no customerEmail");
        using var client = new SmtpClient(o.Host, o.Port) { EnableSsl = o.EnableSsl, Timeout = o.TimeoutSeconds * 1000 };
        if (!string.IsNullOrEmpty(o.UserName)) client.Credentials = new NetworkCredential(o.UserName, o.Password);
        using var mail = new MailMessage(o.From!, message.Email, Subject(message), message.Text);
        try
        {
            await client.SendMailAsync(mail, ct);
        }
        catch (SmtpFailedRecipientException ex) when (ex.StatusCode is SmtpStatusCode.MailboxUnavailable or SmtpStatusCode.MailboxNameNotAllowed)
        {
            return CustomerSendResult.Skip($"the mail relay refused the address ({ex.StatusCode})");
        }
        return CustomerSendResult.Done;
    }

    // The first line of the text up to the link: "Order D-000123: delivered. Thank you!"
    private static string Subject(CustomerMessage message)
    {
        var cut = message.Text.IndexOf(message.Link, StringComparison.Ordinal);
        var subject = (cut > 0 ? message.Text[..cut] : message.Text).TrimEnd(' ', ':', '：');
        return subject.Length > 120 ? subject[..120] : subject;
    }
}
