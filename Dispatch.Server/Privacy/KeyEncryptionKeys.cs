using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Server.Privacy;

/// <summary>
/// AES-256-GCM with the configured key-encryption keys, for the Data Protection key ring at rest. Each ciphertext names its
/// key by a short id (a hash of the key), so a retired key still opens what it encrypted while the current key writes.
/// </summary>
internal sealed class KeyEncryptionKeys
{
    private const int NonceSize = 12, TagSize = 16;

    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _all = new(StringComparer.Ordinal);

    public KeyEncryptionKeys(PrivacyOptions options)
    {
        _current = Entry(options.KeyEncryptionKey);
        _all[_current.Id] = _current.Key;
        foreach (var retired in options.RetiredKeyEncryptionKeys)
        {
            var (id, key) = Entry(retired);
            _all.TryAdd(id, key);
        }
    }

    public string CurrentId => _current.Id;

    /// <summary>nonce | tag | ciphertext, base64.</summary>
    public string Encrypt(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(_current.Id));
        return Convert.ToBase64String(output);
    }

    public string Decrypt(string keyId, string encrypted)
    {
        if (!_all.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException(
                $"The Data Protection key ring holds a key encrypted with key-encryption key {keyId}, which is neither Privacy:KeyEncryptionKey ({_current.Id}) nor in Privacy:RetiredKeyEncryptionKeys.");
        }
        var input = Convert.FromBase64String(encrypted);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    private static (string Id, byte[] Key) Entry(string hex)
    {
        // The AES key is derived, so a 64-byte configured key works too and the id never reveals the key itself.
        var secret = Convert.FromHexString(hex);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "dispatch key-encryption key"u8.ToArray());
        var id = Convert.ToHexStringLower(SHA256.HashData(key))[..12];
        return (id, key);
    }
}
