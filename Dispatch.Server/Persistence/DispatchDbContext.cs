using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dispatch.Server.Persistence;

internal sealed class DispatchDbContext(DbContextOptions<DispatchDbContext> options) : DbContext(options)
{
    public DbSet<CourierRecord> Couriers => Set<CourierRecord>();

    public DbSet<OrderRecord> Orders => Set<OrderRecord>();

    public DbSet<OrderEventRecord> OrderEvents => Set<OrderEventRecord>();

    public DbSet<OfferRecord> Offers => Set<OfferRecord>();

    public DbSet<RouteRecord> Routes => Set<RouteRecord>();

    public DbSet<DispatchDecisionRecord> DispatchDecisions => Set<DispatchDecisionRecord>();

    public DbSet<ZoneRecord> Zones => Set<ZoneRecord>();

    public DbSet<ZoneLeaseRecord> ZoneLeases => Set<ZoneLeaseRecord>();

    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    public DbSet<OutboxRecord> Outbox => Set<OutboxRecord>();

    public DbSet<CustomerNotificationRecord> CustomerNotifications => Set<CustomerNotificationRecord>();

    public DbSet<WebhookEndpointRecord> WebhookEndpoints => Set<WebhookEndpointRecord>();

    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();

    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();

    public DbSet<RefundRecord> Refunds => Set<RefundRecord>();

    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();

    /// <summary>Encrypts the <see cref="EncryptedAttribute"/> columns; null only at design time (migrations), where no row is read or written.</summary>
    internal ValueConverter<string, string>? PersonalConverter { get; } = options.FindExtension<PersonalDataOptionsExtension>()?.Converter;

    /// <summary>Made by the migrate command, which touches no row either: it may go without <see cref="PersonalConverter"/>.</summary>
    private bool MigrationsOnly { get; } = options.FindExtension<MigrationsOnlyOptionsExtension>() is not null;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        PaymentModel.Configure(modelBuilder);

        modelBuilder.Entity<ZoneRecord>(e =>
        {
            e.ToTable("zones");
            e.HasKey(z => z.Name);
            e.Property(z => z.Name).HasMaxLength(31);
            e.Property(z => z.Boundary).HasColumnType("geography (Polygon, 4326)");
            e.Property(z => z.ChangedBy).HasMaxLength(100);
            e.Property(z => z.TimeZone).HasMaxLength(64);
        });

        modelBuilder.Entity<ZoneLeaseRecord>(e =>
        {
            e.ToTable("zone_leases");
            e.HasKey(z => z.Zone);
            e.Property(z => z.Zone).HasMaxLength(31);
            e.Property(z => z.Holder).HasMaxLength(200);
        });

        modelBuilder.Entity<CourierRecord>(e =>
        {
            e.ToTable("couriers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Handle).HasMaxLength(64);
            e.HasIndex(c => c.Handle).IsUnique();
            e.Property(c => c.Name).HasMaxLength(100);
            e.Property(c => c.Phone).HasMaxLength(32);
            e.Property(c => c.Documents).HasColumnType("jsonb");
            e.Property(c => c.RejectionReason).HasMaxLength(300);
            e.Property(c => c.ReviewedBy).HasMaxLength(100);
            // The review queue: pending registrations, oldest first.
            e.HasIndex(c => new { c.Review, c.CreatedAt });
        });

        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).UseIdentityAlwaysColumn();
            e.Property(a => a.Actor).HasMaxLength(100);
            e.Property(a => a.Role).HasMaxLength(20);
            e.Property(a => a.Action).HasMaxLength(50);
            e.Property(a => a.Target).HasMaxLength(200);
            e.Property(a => a.Address).HasMaxLength(64);
            e.Property(a => a.Before).HasColumnType("jsonb");
            e.Property(a => a.After).HasColumnType("jsonb");
            // The admin's searches: newest first by actor, by target, by action, by time.
            e.HasIndex(a => new { a.Actor, a.Id });
            e.HasIndex(a => new { a.Target, a.Id });
            e.HasIndex(a => new { a.Action, a.Id });
            e.HasIndex(a => a.At);
        });

        modelBuilder.Entity<OrderRecord>(e =>
        {
            e.ToTable("orders");
            e.HasKey(o => o.Id);
            e.Property(o => o.Number).UseIdentityByDefaultColumn();
            e.HasIndex(o => o.Number).IsUnique();
            e.Property(o => o.MerchantId).HasMaxLength(64);
            e.Property(o => o.IdempotencyKey).HasMaxLength(128);
            e.HasIndex(o => new { o.MerchantId, o.IdempotencyKey }).IsUnique();
            e.Property(o => o.RequestHash).HasMaxLength(64);
            e.Property(o => o.Zone).HasMaxLength(64);
            e.Property(o => o.Pickup).HasColumnType("geography (Point, 4326)");
            e.Property(o => o.Dropoff).HasColumnType("geography (Point, 4326)");
            e.Property(o => o.PickupAddress).HasMaxLength(300);
            e.Property(o => o.DropoffAddress).HasMaxLength(300);
            // Personal data is stored encrypted ([Encrypted]: Data Protection ciphertext, no length limit: the plain values are checked on
            // input) and never queried by value: phones are found through their keyed hashes. The plain columns of earlier
            // versions (customer_name, customer_phone, pin) are left out of the model; PersonalDataBackfill empties them.
            e.Property(o => o.CustomerName).HasColumnName("customer_name_enc");
            e.Property(o => o.CustomerPhone).HasColumnName("customer_phone_enc");
            e.Property(o => o.Pin).HasColumnName("pin_enc");
            e.Property(o => o.CustomerEmail).HasColumnName("customer_email_enc").HasDefaultValue("");
            e.Property(o => o.CustomerWeChatOpenId).HasColumnName("customer_wechat_openid_enc").HasDefaultValue("");
            e.Property(o => o.CustomerLanguage).HasMaxLength(16).HasDefaultValue(Dispatch.Core.Notifications.CustomerLanguages.English);
            e.HasIndex(o => o.CustomerPhoneHash);
            e.HasIndex(o => o.CustomerPhoneSuffixHash);
            // Only indexes a query uses: no GiST on the points (no query searches orders by place: couriers are found in
            // Redis); courier lookups use (courier_id, delivered_at) below; the board's phone search uses the hashes above.
            // Status is in no index, not even a partial index's filter: a move between open statuses (a batch round moves a
            // thousand) is then a HOT update, with no index entry written, if the row's page has room — hence fillfactor 70.
            // Open orders are found through is_open, generated from status, whose value only changes when an order opens
            // (paid) or finishes; queries that want them say `IsOpen &&` so the planner can use this partial index.
            e.Property(o => o.IsOpen).HasComputedColumnSql(
                $"status between {(int)Dispatch.Core.Orders.OrderStatus.Paid} and {(int)Dispatch.Core.Orders.OrderStatus.ArrivedAtDropoff}", stored: true);
            e.HasIndex(o => new { o.Zone, o.CreatedAt }).HasFilter("is_open").HasDatabaseName("ix_orders_open_zone_created_at");
            // The orders couriers hold (a batch round reads them all, CourierTrips.AllHeldAsync): only those rows, so the read
            // never walks the waiting orders' pages, which every round rewrites (a seq scan of them slowed it 10x in stretches).
            // No column a status move changes: moves stay HOT.
            e.HasIndex(o => o.CourierId).HasFilter("is_open and courier_id is not null").HasDatabaseName("ix_orders_held");
            e.HasStorageParameter("fillfactor", 70);
            // Keyset pages of order lists, newest first (OrderListFilters): all orders, a zone's, a merchant's, a courier's.
            e.HasIndex(o => new { o.CreatedAt, o.Id });
            e.HasIndex(o => new { o.Zone, o.CreatedAt, o.Id });
            e.HasIndex(o => new { o.MerchantId, o.CreatedAt, o.Id });
            e.HasIndex(o => new { o.CourierId, o.CreatedAt, o.Id });
            e.Property(o => o.Version).IsConcurrencyToken();
            e.Property(o => o.ShoppingList).HasMaxLength(Dispatch.Core.Errands.BuyForMe.MaxShoppingListLength);
            e.Property(o => o.ReceiptPhotoRef).HasMaxLength(Dispatch.Core.Errands.BuyForMe.MaxPhotoRefLength);
            e.Property(o => o.RatingComment).HasMaxLength(Dispatch.Core.Orders.RatingRules.MaxCommentLength);
            e.Ignore(o => o.BuyForMe);
            e.Property(o => o.Stops).HasColumnType("jsonb");
            // A courier's orders, and today's earnings: their deliveries by time (the orders a courier holds: delivered_at null).
            e.HasIndex(o => new { o.CourierId, o.DeliveredAt });
            // Recent deliveries (the board's ETA error, /api/metrics/eta), which (zone, status) served before status left the indexes.
            e.HasIndex(o => o.DeliveredAt);
        });

        modelBuilder.Entity<DataProtectionKeyRecord>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.Property(x => x.FriendlyName).HasMaxLength(100);
        });

        modelBuilder.Entity<OrderEventRecord>(e =>
        {
            e.ToTable("order_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Position).HasColumnType("geography (Point, 4326)");
            e.Property(x => x.Note).HasMaxLength(500);
            e.HasIndex(x => new { x.OrderId, x.At });
        });

        modelBuilder.Entity<OfferRecord>(e =>
        {
            e.ToTable("offers");
            e.HasKey(x => x.Id);
            e.Property(x => x.Reason).HasMaxLength(300);
            e.HasIndex(x => new { x.OrderId, x.Status });
            e.HasIndex(x => new { x.Status, x.ExpiresAt });
            // At most one pending offer per courier, whichever node or zone makes it (a broadcast offers one order to several couriers);
            // a bundle's rows count once, through their lead (the followers stay out of the index; OfferBundles keeps a lead).
            e.HasIndex(x => x.CourierId).IsUnique().HasFilter("status = 0 and not bundle_follower").HasDatabaseName("ix_offers_one_pending_per_courier");
            // A bundle's rows, answered together; offers of one order (most of them) are not in it.
            e.HasIndex(x => x.BundleId).HasFilter("bundle_id is not null");
        });

        modelBuilder.Entity<DispatchDecisionRecord>(e =>
        {
            e.ToTable("dispatch_decisions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.HasIndex(x => new { x.OrderId, x.At });
            // lz4, not the default pglz: a batch round stores ~1,000 explanations of a few kB at once, and pglz made PostgreSQL
            // spend ~55 ms of CPU a round compressing them (docs/benchmarks.md, "Batch tick").
            // bytea, packed by hand (StoredExplanation): stored and shown whole, never queried inside; under a third of the JSON text's
            // bytes, which PostgreSQL checked on every row of a batch round's COPY as json (docs/benchmarks.md, "Batch tick").
            e.Property(x => x.Explanation).HasColumnType("bytea").UseCompressionMethod("lz4");
        });

        modelBuilder.Entity<OutboxRecord>(e =>
        {
            e.ToTable("outbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            // Cheap to insert, since a batch round writes ~1,500 rows at once: json (kept as text, not parsed into jsonb),
            // no index on event_id (a version 7 Guid; consumers, not the table, de-duplicate), and the purge's index only
            // on handled rows, so an insert writes the primary key and the two work-list entries alone.
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.Payload).HasColumnType("json");
            // The relay's work list: only rows still to do are indexed, so it stays small however long processed rows are kept.
            e.HasIndex(x => x.Id).HasFilter("processed_at is null").HasDatabaseName("ix_outbox_pending");
            e.HasIndex(x => new { x.OrderId, x.Id }).HasFilter("processed_at is null").HasDatabaseName("ix_outbox_pending_order");
            e.HasIndex(x => x.ProcessedAt).HasFilter("processed_at is not null");
        });

        modelBuilder.Entity<CustomerNotificationRecord>(e =>
        {
            e.ToTable("customer_notifications");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            // At most one message of a kind per order, whatever replays, nodes or sweeps raise it.
            e.HasIndex(x => new { x.OrderId, x.Kind }).IsUnique();
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(300);
            // The sender's work list: only pending rows are indexed.
            e.HasIndex(x => new { x.DueAt, x.Id }).HasFilter("status = 0").HasDatabaseName("ix_customer_notifications_pending");
        });

        modelBuilder.Entity<WebhookEndpointRecord>(e =>
        {
            e.ToTable("webhook_endpoints");
            e.HasKey(x => x.Id);
            e.Property(x => x.MerchantId).HasMaxLength(64);
            e.Property(x => x.Url).HasMaxLength(Dispatch.Core.Webhooks.WebhookUrlRules.MaxLength);
            e.HasIndex(x => x.MerchantId);
        });

        modelBuilder.Entity<WebhookDeliveryRecord>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            // No foreign key to the endpoint: its check was a query and a row lock per queued delivery. The consumer's INSERT
            // locks the endpoints it queues for once per statement instead, and deleting an endpoint deletes its deliveries.
            // The consumer's idempotency: an event handed over again queues nothing new.
            e.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
            e.Property(x => x.EventType).HasMaxLength(64);
            e.Property(x => x.LastError).HasMaxLength(500);
            // The sender's work list and the in-order check (an earlier pending event of the same endpoint and order): only
            // pending rows are indexed, so it stays small however long the log is kept. The one pending-only index on purpose:
            // with a second one on next_attempt_at, statistics seeing few pending rows made the planner probe that one with a
            // filter for each queued or ended delivery, a pass over every pending row per row (a 500-event queuing: 90-180 ms
            // with 1,000 pending, 25-38 ms without it).
            e.HasIndex(x => new { x.EndpointId, x.OrderId, x.Sequence }).HasFilter("state = 0").HasDatabaseName("ix_webhook_deliveries_pending_order");
            // The delivery log, newest first.
            e.HasIndex(x => new { x.EndpointId, x.Id });
            // A lease taken after queuing (attempts, leased_until, last_attempt_at: in no index) is then a HOT update, with no
            // entry in the four indexes, if the row's page has room: with full pages nearly every one was not (649 HOT of 68,351
            // updates in a bench run). The recording that ends a delivery changes state, a partial index's filter: never HOT.
            e.HasStorageParameter("fillfactor", 50);
        });

        modelBuilder.Entity<RouteRecord>(e =>
        {
            e.ToTable("routes");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.HasIndex(x => new { x.OrderId, x.Version }).IsUnique();
            e.Property(x => x.Reason).HasMaxLength(40);
            e.Property(x => x.Path).HasColumnType("geography (LineString, 4326)");
            e.HasIndex(x => x.Path).HasMethod("gist");
            e.Property(x => x.Legs).HasColumnType("jsonb");
        });

        // The features' own tables (CustomerModel, LedgerModel, …): their IEntityTypeConfiguration classes, so this context
        // names none of their records.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DispatchDbContext).Assembly);
        EncryptPersonalColumns(modelBuilder);
    }

    private void EncryptPersonalColumns(ModelBuilder modelBuilder)
    {
        if (PersonalConverter is null)
        {
            if (!EF.IsDesignTime && !MigrationsOnly)
                throw new InvalidOperationException("DispatchDbContext needs PersonalData in its options (AddPersonalDataProtection), or it would store personal data in plain text.");
            return;
        }
        var encrypted = modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.PropertyInfo?.IsDefined(typeof(EncryptedAttribute), inherit: false) == true).ToList();
        foreach (var property in encrypted) property.SetValueConverter(PersonalConverter);
    }
}
