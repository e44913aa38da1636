using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Accounts;

/// <summary>
/// Accounts, refresh tokens and merchant keys: Identity's user store on the server's PostgreSQL data source. A context of
/// its own (own migrations and history table) so Identity's base model stays out of the dispatch model and its migrations.
/// </summary>
internal sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityUserContext<AccountUser, Guid>(options)
{
    public const string MigrationsHistoryTable = "__accounts_migrations";

    public DbSet<RefreshTokenRecord> RefreshTokens => Set<RefreshTokenRecord>();

    public DbSet<MerchantKeyRecord> MerchantKeys => Set<MerchantKeyRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AccountUser>(e =>
        {
            e.ToTable("accounts");
            e.Property(u => u.Role).HasMaxLength(20);
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.Organisation).HasMaxLength(64);
            e.HasIndex(u => u.Organisation);
            e.HasIndex(u => u.CourierId).IsUnique();
            e.Ignore(u => u.Subject);
        });
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("account_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("account_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("account_tokens");
        builder.Entity<RefreshTokenRecord>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.FamilyId);
            e.HasIndex(x => x.UserId);
            e.Property(x => x.RevokedReason).HasMaxLength(20);
            e.HasOne<AccountUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<MerchantKeyRecord>(e =>
        {
            e.ToTable("merchant_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.Organisation).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.Property(x => x.RevokedBy).HasMaxLength(100);
            e.HasIndex(x => x.Organisation);
        });
    }
}
