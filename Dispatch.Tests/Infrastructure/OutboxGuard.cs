using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Installs, in a test class's own database, triggers that refuse to commit a transaction which created an order or changed
/// an order's status without writing an outbox row for that order in the same transaction. A deferred constraint trigger
/// checks at commit; outbox inserts are noted with the top-level transaction id (EF's savepoints give rows a subtransaction's
/// xmin, so xmin cannot tell).
/// </summary>
public static class OutboxGuard
{
    public static async Task InstallAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            create table if not exists test_outbox_xacts (order_id uuid not null, xact xid8 not null);
            create or replace function test_note_outbox() returns trigger language plpgsql as $$
            begin
              insert into test_outbox_xacts values (new.order_id, pg_current_xact_id());
              return null;
            end $$;
            create or replace function test_status_needs_outbox() returns trigger language plpgsql as $$
            begin
              if not exists (select 1 from test_outbox_xacts where order_id = new.id and xact = pg_current_xact_id()) then
                raise exception 'order % became % without an outbox row in the same transaction', new.id, new.status;
              end if;
              return null;
            end $$;
            drop trigger if exists test_note_outbox on outbox;
            create trigger test_note_outbox after insert on outbox for each row execute function test_note_outbox();
            drop trigger if exists test_status_needs_outbox on orders;
            create constraint trigger test_status_needs_outbox after update of status on orders deferrable initially deferred
              for each row when (old.status is distinct from new.status) execute function test_status_needs_outbox();
            drop trigger if exists test_order_needs_outbox on orders;
            create constraint trigger test_order_needs_outbox after insert on orders deferrable initially deferred
              for each row execute function test_status_needs_outbox();
            """);
        // The DDL locks orders and outbox while the class's server keeps writing them: PostgreSQL may pick it as a deadlock
        // victim, and the statement (one implicit transaction) is simply run again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
            }
        }
    }

    /// <summary>The order's <c>order.status</c> outbox events as "from→to", in commit order.</summary>
    public static async Task<List<string>> MovesAsync(NpgsqlDataSource db, Guid orderId)
    {
        await using var command = db.CreateCommand(
            "select (payload->>'from') || '>' || (payload->>'to') from outbox where order_id = $1 and kind = 'order.status' order by id");
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        var moves = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) moves.Add(reader.GetString(0));
        return moves;
    }
}
