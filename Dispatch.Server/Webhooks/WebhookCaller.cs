namespace Dispatch.Server.Webhooks;

/// <summary>Who calls the webhook API: a merchant (its own endpoints only) or an admin (any merchant's).</summary>
internal sealed record WebhookCaller(string Subject, bool IsAdmin)
{
    public string Actor => IsAdmin ? $"admin:{Subject}" : $"merchant:{Subject}";

    public bool MaySee(string merchantId) => IsAdmin || merchantId == Subject;
}
