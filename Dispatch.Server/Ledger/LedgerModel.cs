using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Ledger;

/// <summary>The ledger's tables, kept out of <see cref="Persistence.DispatchDbContext"/> to keep it short.</summary>
internal static class LedgerModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LedgerTransactionRecord>(e =>
        {
            e.ToTable("ledger_transactions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Cause).HasMaxLength(200);
            e.HasIndex(x => x.Cause).IsUnique();
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.Memo).HasMaxLength(300);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.HasIndex(x => new { x.CourierId, x.At });
        });

        modelBuilder.Entity<LedgerLineRecord>(e =>
        {
            e.ToTable("ledger_lines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Account).HasMaxLength(32);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.HasOne<LedgerTransactionRecord>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
            // A courier's balances and days; the settlement's per-day sums; an order's lines.
            e.HasIndex(x => new { x.CourierId, x.Account, x.At });
            e.HasIndex(x => new { x.Account, x.At });
            e.HasIndex(x => x.OrderId);
        });

        modelBuilder.Entity<WithdrawalRecord>(e =>
        {
            e.ToTable("withdrawals");
            e.HasKey(x => x.Id);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.DecidedBy).HasMaxLength(100);
            e.Property(x => x.PayoutReference).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(300);
            e.HasIndex(x => new { x.CourierId, x.RequestedAt });
            e.HasIndex(x => x.RequestedAt).HasFilter("state = 0").HasDatabaseName("ix_withdrawals_requested");
        });
    }
}
