using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Hands the app's <see cref="PersonalData"/> to <see cref="Persistence.DispatchDbContext"/>, whose pooled factory can only
/// pass options: the model's value converters encrypt with it.
/// </summary>
internal sealed class PersonalDataOptionsExtension(PersonalData personalData) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public PersonalData PersonalData { get; } = personalData;

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

        public override string LogFragment => "PersonalData ";

        // It adds no services, so EF may share its internal service provider; the model cache key tells the models apart.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["Dispatch:PersonalData"] = "1";
    }
}
