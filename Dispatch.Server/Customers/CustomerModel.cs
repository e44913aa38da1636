using Dispatch.Server.Catalogue;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dispatch.Server.Customers;

/// <summary>
/// The customers' tables in the dispatch model: customers, sign-in codes, saved addresses and quotes, and their indexes on
/// orders. <see cref="DispatchDbContext"/> applies each Configure (ApplyConfigurationsFromAssembly); the phone is
/// encrypted there ([Encrypted]).
/// </summary>
internal sealed class CustomerModel :
    IEntityTypeConfiguration<CustomerRecord>,
    IEntityTypeConfiguration<SignInCodeRecord>,
    IEntityTypeConfiguration<CustomerAddressRecord>,
    IEntityTypeConfiguration<QuoteRecord>,
    IEntityTypeConfiguration<OrderRecord>
{
    public void Configure(EntityTypeBuilder<CustomerRecord> builder)
    {
        builder.ToTable("customers");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => c.PhoneHash).IsUnique();
        builder.Property(c => c.Phone).HasColumnName("phone_enc");
    }

    public void Configure(EntityTypeBuilder<SignInCodeRecord> builder)
    {
        builder.ToTable("customer_sign_in_codes");
        builder.HasKey(c => c.Id);
        // The newest code of a number, and the count sent in the last window.
        builder.HasIndex(c => new { c.PhoneHash, c.CreatedAt });
    }

    public void Configure(EntityTypeBuilder<CustomerAddressRecord> builder)
    {
        builder.ToTable("customer_addresses");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Label).HasMaxLength(AddressBook.MaxLabelLength);
        builder.Property(a => a.Address).HasMaxLength(Core.Validation.TextRules.MaxLineLength);
        builder.HasIndex(a => a.CustomerId);
    }

    public void Configure(EntityTypeBuilder<QuoteRecord> builder)
    {
        builder.ToTable("quotes");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.ServiceId).HasMaxLength(64);
        builder.Property(q => q.Zone).HasMaxLength(64);
        builder.Property(q => q.Currency).HasMaxLength(3);
        builder.Property(q => q.Places).HasColumnType("jsonb");
        builder.Property(q => q.Lines).HasColumnType("jsonb");
        builder.HasIndex(q => q.CustomerId);
    }

    public void Configure(EntityTypeBuilder<OrderRecord> builder)
    {
        // A customer's orders newest first, paged by number (keyset).
        builder.HasIndex(o => new { o.CustomerId, o.Number }).HasFilter("customer_id is not null");
        builder.HasIndex(o => o.QuoteId).IsUnique().HasFilter("quote_id is not null");
    }
}
