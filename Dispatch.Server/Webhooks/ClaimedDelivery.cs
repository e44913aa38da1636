using Npgsql;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// A delivery a node claimed to send: <paramref name="Attempt"/> is its attempt number, which its result must match to be
/// recorded. <paramref name="PreviousSecretEncrypted"/> signs too until <paramref name="PreviousSecretUntil"/> (a rotation's overlap).
/// </summary>
internal sealed record ClaimedDelivery(long Id, Guid EndpointId, Guid EventId, string EventType, string Body, int Attempt, string Url, string SecretEncrypted,
    string? PreviousSecretEncrypted = null, DateTimeOffset? PreviousSecretUntil = null)
{
    /// <summary>
    /// The columns every claiming statement returns, in this order: the delivery's id, endpoint_id, event_id, event_type, body,
    /// attempts, then the endpoint's url, secret_encrypted, previous_secret_encrypted, previous_secret_until.
    /// </summary>
    public static ClaimedDelivery Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4),
        r.GetInt32(5), r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));
}
