using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Persistence;

/// <summary>The payment tables and the money columns of orders, kept out of <see cref="DispatchDbContext"/> to keep it short.</summary>
internal static class PaymentModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrderRecord>(e =>
        {
            e.Property(o => o.PriceLines).HasColumnType("jsonb");
            e.Property(o => o.Currency).HasMaxLength(3);
            e.Property(o => o.PaymentMethod).HasMaxLength(16);
            e.Property(o => o.PaymentRef).HasMaxLength(64);
            e.Property(o => o.PaymentAlert).HasMaxLength(300);
            e.Property(o => o.RefundedCents).HasDefaultValue(0);
            // The board reads unpaid orders whose payment did not match: few rows, found through this small index (status stays out of
            // it, so status changes remain HOT updates).
            e.HasIndex(o => new { o.Zone, o.PaymentAlertAt }).HasFilter("payment_alert_at is not null").HasDatabaseName("ix_orders_payment_alert");
        });

        modelBuilder.Entity<PaymentRecord>(e =>
        {
            e.ToTable("payments");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.OrderId, x.At });
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Provider).HasMaxLength(16);
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ProviderRef).HasMaxLength(64);
            e.Property(x => x.Detail).HasMaxLength(500);
        });

        modelBuilder.Entity<RefundRecord>(e =>
        {
            e.ToTable("payment_refunds");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.OrderId);
            e.HasIndex(x => x.EventId).IsUnique();
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Note).HasMaxLength(300);
            e.Property(x => x.Provider).HasMaxLength(16);
            e.Property(x => x.ProviderRef).HasMaxLength(64);
            e.Property(x => x.Error).HasMaxLength(300);
            // The refund loop's work list: only pending rows are indexed.
            e.HasIndex(x => x.DueAt).HasFilter("state = 0").HasDatabaseName("ix_payment_refunds_pending");
        });
    }
}
