using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Re-encrypts, with the current Privacy:KeyEncryptionKey, every Data Protection key stored under a retired one, so a
/// rotated key-encryption key can be dropped from the configuration once every node has started with the new one. The
/// keys themselves do not change: no ciphertext needs re-encrypting and running nodes keep their cached key ring.
/// </summary>
internal sealed partial class KeyRingRewrap(NpgsqlDataSource dataSource, IOptions<PrivacyOptions> options, ILogger<KeyRingRewrap> logger)
{
    /// <summary>Re-encrypts what a retired key-encryption key protects; returns how many keys of the ring.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (options.Value.RetiredKeyEncryptionKeys.Length == 0) return 0;
        var keys = new KeyEncryptionKeys(options.Value);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rewrapped = new List<(int Id, string Xml)>();
        await using (var select = new NpgsqlCommand("select id, xml from data_protection_keys order by id for update", connection, tx))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = XElement.Parse(reader.GetString(1));
                var changed = false;
                foreach (var wrapped in key.Descendants(MasterKeyXmlEncryptor.ElementName))
                {
                    var id = (string?)wrapped.Attribute(MasterKeyXmlEncryptor.KeyIdAttribute) ?? "";
                    if (id == keys.CurrentId) continue;
                    var value = wrapped.Element(MasterKeyXmlEncryptor.ValueElement)!;
                    value.Value = keys.Encrypt(keys.Decrypt(id, value.Value));
                    wrapped.SetAttributeValue(MasterKeyXmlEncryptor.KeyIdAttribute, keys.CurrentId);
                    changed = true;
                }
                if (changed) rewrapped.Add((reader.GetInt32(0), key.ToString(SaveOptions.DisableFormatting)));
            }
        }
        foreach (var (id, xml) in rewrapped)
        {
            await using var update = new NpgsqlCommand("update data_protection_keys set xml = $1 where id = $2", connection, tx);
            update.Parameters.Add(new NpgsqlParameter { Value = xml });
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            await update.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (rewrapped.Count > 0) LogRewrapped(logger, rewrapped.Count, keys.CurrentId);
        return rewrapped.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} Data Protection keys with key-encryption key {KeyId}; retired key-encryption keys can now be removed")]
    private static partial void LogRewrapped(ILogger logger, int count, string keyId);
}
