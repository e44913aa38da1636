using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dispatch.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrderArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The archive schema: one table per archived table, with its columns (LIKE: no generated expressions, identities,
            // keys or checks, so rows are copied as they are) and the indexes the lookups use. Archive/OrderArchiveJob moves
            // old finished orders here; a migration that adds a column to one of these tables adds it to its archive twin too
            // (the job refuses to archive while a live column has no twin: docs/archival.md).
            migrationBuilder.Sql("""
                CREATE SCHEMA archive;
                CREATE TABLE archive.orders (LIKE public.orders);
                ALTER TABLE archive.orders ADD PRIMARY KEY (id);
                CREATE INDEX ix_archive_orders_created_at_id ON archive.orders (created_at, id);
                CREATE INDEX ix_archive_orders_merchant_id_created_at_id ON archive.orders (merchant_id, created_at, id);
                CREATE INDEX ix_archive_orders_zone_created_at_id ON archive.orders (zone, created_at, id);
                CREATE INDEX ix_archive_orders_courier_id_created_at_id ON archive.orders (courier_id, created_at, id);
                CREATE INDEX ix_archive_orders_number ON archive.orders (number);
                CREATE TABLE archive.order_events (LIKE public.order_events);
                CREATE INDEX ix_archive_order_events_order_id ON archive.order_events (order_id);
                CREATE TABLE archive.offers (LIKE public.offers);
                CREATE INDEX ix_archive_offers_order_id ON archive.offers (order_id);
                CREATE TABLE archive.dispatch_decisions (LIKE public.dispatch_decisions);
                CREATE INDEX ix_archive_dispatch_decisions_order_id ON archive.dispatch_decisions (order_id);
                CREATE TABLE archive.routes (LIKE public.routes);
                CREATE INDEX ix_archive_routes_order_id ON archive.routes (order_id);
                CREATE TABLE archive.payments (LIKE public.payments);
                CREATE INDEX ix_archive_payments_order_id ON archive.payments (order_id);
                CREATE TABLE archive.payment_refunds (LIKE public.payment_refunds);
                CREATE INDEX ix_archive_payment_refunds_order_id ON archive.payment_refunds (order_id);
                CREATE TABLE archive.customer_notifications (LIKE public.customer_notifications);
                CREATE INDEX ix_archive_customer_notifications_order_id ON archive.customer_notifications (order_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Archived rows go back to their live tables (parents first; generated and identity-always columns are the
            // live table's own) before the schema goes: a downgrade loses nothing.
            migrationBuilder.Sql("""
                DO $$
                DECLARE
                    t text;
                    cols text;
                BEGIN
                    FOREACH t IN ARRAY ARRAY['orders', 'order_events', 'offers', 'dispatch_decisions', 'routes', 'payments', 'payment_refunds', 'customer_notifications'] LOOP
                        SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) INTO cols
                        FROM information_schema.columns c
                        WHERE c.table_schema = 'public' AND c.table_name = t AND c.is_generated = 'NEVER'
                          AND EXISTS (SELECT 1 FROM information_schema.columns a WHERE a.table_schema = 'archive' AND a.table_name = t AND a.column_name = c.column_name);
                        EXECUTE format('INSERT INTO public.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM archive.%I', t, cols, cols, t);
                    END LOOP;
                END $$;
                DROP SCHEMA archive CASCADE;
                """);
        }
    }
}
