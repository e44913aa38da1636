using Dispatch.Server.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// What became of a claimed batch's messages (sent, skipped, dropped, failed, or to try again later), written in one
/// UPDATE per flush rather than a statement per message: at ~15,000 messages per 20,000 order events (the outbox bench)
/// the per-message statements were the customer sender's main cost, and it fell behind the relay. The caller flushes at
/// the end of a batch and whenever <see cref="FlushAfter"/> has passed since the last flush, so a node that dies mid-batch
/// sends again (after the claim's lease) only what it sent in that last stretch.
/// </summary>
internal sealed class CustomerNoticeOutcomes(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Results kept unwritten at most this long while a batch is sending (a slow gateway's batch writes several times).</summary>
    public static readonly TimeSpan FlushAfter = TimeSpan.FromMilliseconds(200);

    private readonly List<long> _ids = [];
    private readonly List<int> _statuses = [];
    private readonly List<DateTimeOffset?> _sentAt = [];
    private readonly List<string?> _channels = [];
    private readonly List<string?> _reasons = [];
    private readonly List<DateTimeOffset?> _dueAt = [];
    private long _since = clock.GetTimestamp();

    public bool FlushDue => _ids.Count > 0 && clock.GetElapsedTime(_since) >= FlushAfter;

    public void Sent(long id, DateTimeOffset at, string channel) => Add(id, CustomerNotificationStatus.Sent, at, channel, null, null);

    /// <summary>Skipped, dropped or failed, for good.</summary>
    public void Finished(long id, CustomerNotificationStatus status, string? reason) => Add(id, status, null, null, reason, null);

    /// <summary>Stays pending, to try again at <paramref name="at"/>.</summary>
    public void Retry(long id, DateTimeOffset at, string reason) => Add(id, CustomerNotificationStatus.Pending, null, null, reason, at);

    /// <summary>Writes what was added since the last flush: each row's status and reason, and the sent time and channel or the next try when given.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        _since = clock.GetTimestamp();
        if (_ids.Count == 0) return;
        await using var update = dataSource.CreateCommand("""
            update customer_notifications n
            set status = r.status, reason = r.reason, sent_at = coalesce(r.sent_at, n.sent_at), channel = coalesce(r.channel, n.channel),
                due_at = coalesce(r.due_at, n.due_at)
            from unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[]) as r(id, status, sent_at, channel, reason, due_at)
            where n.id = r.id
            """);
        update.Parameters.Add(new NpgsqlParameter { Value = _ids.ToArray() });
        update.Parameters.Add(new NpgsqlParameter { Value = _statuses.ToArray() });
        update.Parameters.Add(new NpgsqlParameter { Value = _sentAt.ToArray() });
        update.Parameters.Add(new NpgsqlParameter { Value = _channels.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = _reasons.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = _dueAt.ToArray() });
        await update.ExecuteNonQueryAsync(ct);
        _ids.Clear();
        _statuses.Clear();
        _sentAt.Clear();
        _channels.Clear();
        _reasons.Clear();
        _dueAt.Clear();
    }

    private void Add(long id, CustomerNotificationStatus status, DateTimeOffset? sentAt, string? channel, string? reason, DateTimeOffset? dueAt)
    {
        _ids.Add(id);
        _statuses.Add((int)status);
        _sentAt.Add(sentAt);
        _channels.Add(channel);
        _reasons.Add(reason is { Length: > 300 } ? reason[..300] : reason);
        _dueAt.Add(dueAt);
    }
}
