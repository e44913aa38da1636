using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Keys that protect customers' personal data at rest, bound from the "Privacy" section. Never in the repository: production
/// sets them in the environment (Privacy__KeyEncryptionKey, Privacy__PhoneHashKey); Development makes up its own.
/// </summary>
internal sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    private const string HexKey = "^([0-9A-Fa-f]{2}){32,64}$";

    /// <summary>
    /// 32–64 bytes as hex. Encrypts (AES-256-GCM) the Data Protection key ring stored in PostgreSQL, so a database dump alone
    /// cannot decrypt names, phones and PINs.
    /// </summary>
    [Required(ErrorMessage = "Privacy:KeyEncryptionKey is not set: 32–64 random bytes as hex (openssl rand -hex 32). Keep it: it opens the stored names, phones and PINs.")]
    [RegularExpression(HexKey, ErrorMessage = "Privacy:KeyEncryptionKey must be 32–64 bytes as hex (openssl rand -hex 32).")]
    public string KeyEncryptionKey { get; set; } = "";

    /// <summary>Earlier key-encryption keys, still read to decrypt keys of the ring they encrypted (during a rotation).</summary>
    public string[] RetiredKeyEncryptionKeys { get; set; } = [];

    /// <summary>32–64 bytes as hex: the HMAC-SHA256 key of the phone hashes the board's phone search looks up.</summary>
    [Required(ErrorMessage = "Privacy:PhoneHashKey is not set: 32–64 random bytes as hex (openssl rand -hex 32). Keep it: phone search depends on it.")]
    [RegularExpression(HexKey, ErrorMessage = "Privacy:PhoneHashKey must be 32–64 bytes as hex (openssl rand -hex 32).")]
    public string PhoneHashKey { get; set; } = "";

    /// <summary>
    /// Earlier phone hash keys: while set, the search also looks up hashes made with them, and each start re-hashes the rows
    /// with <see cref="PhoneHashKey"/> (a pass over the orders; the log says when it is done and they can be removed).
    /// </summary>
    public string[] RetiredPhoneHashKeys { get; set; } = [];

    public bool RetiredKeysAreHex() => RetiredKeyEncryptionKeys.Concat(RetiredPhoneHashKeys).All(k => System.Text.RegularExpressions.Regex.IsMatch(k, HexKey));
}
