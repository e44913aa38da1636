using Dispatch.Server.Catalogue;
using Dispatch.Server.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Customers;

/// <summary>The customers' tables in the dispatch model: customers, sign-in codes, saved addresses and quotes.</summary>
internal static class CustomerModel
{
    public static void Configure(ModelBuilder model, PersonalData? personal)
    {
        model.Entity<CustomerRecord>(e =>
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.HasIndex(c => c.PhoneHash).IsUnique();
            e.Property(c => c.Phone).HasColumnName("phone_enc");
            if (personal is not null) e.Property(c => c.Phone).HasConversion(personal.Converter);
        });
        model.Entity<SignInCodeRecord>(e =>
        {
            e.ToTable("customer_sign_in_codes");
            e.HasKey(c => c.Id);
            // The newest code of a number, and the count sent in the last window.
            e.HasIndex(c => new { c.PhoneHash, c.CreatedAt });
        });
        model.Entity<CustomerAddressRecord>(e =>
        {
            e.ToTable("customer_addresses");
            e.HasKey(a => a.Id);
            e.Property(a => a.Label).HasMaxLength(AddressBook.MaxLabelLength);
            e.Property(a => a.Address).HasMaxLength(Core.Validation.TextRules.MaxLineLength);
            e.HasIndex(a => a.CustomerId);
        });
        model.Entity<QuoteRecord>(e =>
        {
            e.ToTable("quotes");
            e.HasKey(q => q.Id);
            e.Property(q => q.ServiceId).HasMaxLength(64);
            e.Property(q => q.Zone).HasMaxLength(64);
            e.Property(q => q.Currency).HasMaxLength(3);
            e.Property(q => q.Places).HasColumnType("jsonb");
            e.Property(q => q.Lines).HasColumnType("jsonb");
            e.HasIndex(q => q.CustomerId);
        });
        model.Entity<Persistence.OrderRecord>(e =>
        {
            // A customer's orders newest first, paged by number (keyset).
            e.HasIndex(o => new { o.CustomerId, o.Number }).HasFilter("customer_id is not null");
            e.HasIndex(o => o.QuoteId).IsUnique().HasFilter("quote_id is not null");
        });
    }
}
