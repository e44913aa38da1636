using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dispatch.Server.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without a running server or database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DispatchDbContext>
{
    public DispatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DispatchDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design", o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .Options);
}
