using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Notifications:Smtp: e-mail through an SMTP relay.</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65_535)]
    public int Port { get; set; } = 587;

    /// <summary>The From address.</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }

    /// <summary>A secret: never committed.</summary>
    public string? Password { get; set; }

    public bool EnableSsl { get; set; } = true;

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 15;
}
