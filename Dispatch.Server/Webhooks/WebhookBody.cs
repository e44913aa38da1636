namespace Dispatch.Server.Webhooks;

/// <summary>The JSON a merchant's endpoint receives: the event's id (its de-duplication key), type, time and data.</summary>
internal sealed record WebhookBody<T>(Guid Id, string Type, DateTimeOffset CreatedAt, T Data);
