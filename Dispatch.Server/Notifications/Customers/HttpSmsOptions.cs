using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Notifications:HttpSms: a generic HTTP SMS gateway taking a JSON POST.</summary>
internal sealed class HttpSmsOptions
{
    /// <summary>The gateway's send URL (required when Channel is HttpSms).</summary>
    public string? Url { get; set; }

    /// <summary>The header the API key goes in.</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>The API key (a secret: from the environment or a secret store, never committed).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The JSON body's field for the number (E.164).</summary>
    public string ToField { get; set; } = "to";

    /// <summary>The JSON body's field for the text.</summary>
    public string TextField { get; set; } = "text";

    /// <summary>Optional sender field and value (a sender id the gateway knows).</summary>
    public string? SenderField { get; set; }

    public string? Sender { get; set; }

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}
