using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Privacy;

/// <summary>Wires personal data protection: options, the Data Protection key ring in PostgreSQL, and the EF converters.</summary>
internal static class PrivacyComposition
{
    /// <summary>Data Protection's application name: the same on every node, so all of them read each other's ciphertexts.</summary>
    public const string ApplicationName = "Dispatch";

    public static IServiceCollection AddPersonalDataProtection(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<PrivacyOptions>().Bind(config.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RetiredKeysAreHex(), "Privacy:RetiredKeyEncryptionKeys and Privacy:RetiredPhoneHashKeys must each be 32–64 bytes as hex.")
            .ValidateOnStart();
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource, IOptions<PrivacyOptions>>((o, dataSource, privacy) =>
        {
            o.XmlRepository = new PostgresXmlRepository(dataSource);
            o.XmlEncryptor = new MasterKeyXmlEncryptor(new KeyEncryptionKeys(privacy.Value));
        });
        services.AddSingleton<PersonalData>();
        services.AddSingleton<PersonalDataBackfill>();
        services.AddSingleton<KeyRingRewrap>();
        return services;
    }

    /// <summary>Gives the context the app's <see cref="PersonalData"/>, and one cached model per instance of it.</summary>
    public static DbContextOptionsBuilder UsePersonalData(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new PersonalDataOptionsExtension(services.GetRequiredService<PersonalData>().Converter));
        return options.ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>();
    }
}
