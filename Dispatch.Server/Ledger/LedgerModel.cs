using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dispatch.Server.Ledger;

/// <summary>The ledger's tables in the dispatch model; <see cref="Persistence.DispatchDbContext"/> applies each Configure (ApplyConfigurationsFromAssembly).</summary>
internal sealed class LedgerModel :
    IEntityTypeConfiguration<LedgerTransactionRecord>,
    IEntityTypeConfiguration<LedgerLineRecord>,
    IEntityTypeConfiguration<WithdrawalRecord>
{
    public void Configure(EntityTypeBuilder<LedgerTransactionRecord> builder)
    {
        builder.ToTable("ledger_transactions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Cause).HasMaxLength(200);
        builder.HasIndex(x => x.Cause).IsUnique();
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.Property(x => x.Memo).HasMaxLength(300);
        builder.Property(x => x.Actor).HasMaxLength(100);
        builder.HasIndex(x => new { x.CourierId, x.At });
    }

    public void Configure(EntityTypeBuilder<LedgerLineRecord> builder)
    {
        builder.ToTable("ledger_lines");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).UseIdentityAlwaysColumn();
        builder.Property(x => x.Account).HasMaxLength(32);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.Property(x => x.TimeZone).HasMaxLength(64);
        builder.HasOne<LedgerTransactionRecord>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        // A courier's balances and days; the settlement's per-day sums; an order's lines.
        builder.HasIndex(x => new { x.CourierId, x.Account, x.At });
        builder.HasIndex(x => new { x.Account, x.At });
        builder.HasIndex(x => x.OrderId);
    }

    public void Configure(EntityTypeBuilder<WithdrawalRecord> builder)
    {
        builder.ToTable("withdrawals");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.DecidedBy).HasMaxLength(100);
        builder.Property(x => x.PayoutReference).HasMaxLength(100);
        builder.Property(x => x.Reason).HasMaxLength(300);
        builder.HasIndex(x => new { x.CourierId, x.RequestedAt });
        builder.HasIndex(x => x.RequestedAt).HasFilter("state = 0").HasDatabaseName("ix_withdrawals_requested");
    }
}
