using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dispatch.Server.Persistence;

/// <summary>
/// Hands the app's personal-data converter (Privacy's PersonalData) to <see cref="DispatchDbContext"/>, whose pooled factory
/// can only pass options: the model's <see cref="EncryptedAttribute"/> columns encrypt with it.
/// </summary>
internal sealed class PersonalDataOptionsExtension(ValueConverter<string, string> converter) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public ValueConverter<string, string> Converter { get; } = converter;

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
