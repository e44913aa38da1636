using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dispatch.Server.Accounts;

/// <summary>Lets `dotnet ef migrations add --context AccountsDbContext` build the model without a database.</summary>
internal sealed class AccountsDesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccountsDbContext>();
        AccountsComposition.Configure(options, o => o.UseNpgsql("Host=127.0.0.1;Database=design", AccountsComposition.Npgsql));
        return new AccountsDbContext(options.Options);
    }
}
