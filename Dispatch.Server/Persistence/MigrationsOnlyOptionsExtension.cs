using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Dispatch.Server.Persistence;

/// <summary>
/// Marks a <see cref="DispatchDbContext"/> made only to apply or undo migrations (<see cref="Schema.MigrateCommand"/>): like the
/// design-time tools it reads and writes no row, so it needs no personal-data keys.
/// </summary>
internal sealed class MigrationsOnlyOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "MigrationsOnly ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["Dispatch:MigrationsOnly"] = "1";
    }
}
