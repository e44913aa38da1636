using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Orders;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Customers' names, phones and delivery PINs at rest: encrypted with ASP.NET Core Data Protection (keys shared by every
/// node through PostgreSQL), and phones also as keyed hashes (HMAC-SHA256) so the board can find them without decrypting.
/// </summary>
internal sealed class PersonalData
{
    /// <summary>The Data Protection purpose: ciphertexts made for it cannot be opened by any other protector of the app.</summary>
    public const string Purpose = "Dispatch.Orders.PersonalData.v1";

    private readonly IDataProtector _protector;
    private readonly byte[] _hashKey;
    private readonly byte[][] _retiredHashKeys;

    public PersonalData(IDataProtectionProvider provider, IOptions<PrivacyOptions> options)
    {
        _protector = provider.CreateProtector(Purpose);
        _hashKey = Convert.FromHexString(options.Value.PhoneHashKey);
        _retiredHashKeys = [.. options.Value.RetiredPhoneHashKeys.Select(Convert.FromHexString)];
        Converter = new ValueConverter<string, string>(plain => Protect(plain), stored => Unprotect(stored));
    }

    /// <summary>Maps an entity's plain text to its ciphertext column and back (empty stays empty: it hides nothing).</summary>
    public ValueConverter<string, string> Converter { get; }

    public string Protect(string plain) => plain.Length == 0 ? "" : _protector.Protect(plain);

    public string Unprotect(string stored) => stored.Length == 0 ? "" : _protector.Unprotect(stored);

    /// <summary>Whether rows may still hold hashes made with a retired key (a rotation is under way).</summary>
    public bool RotatingHashKey => _retiredHashKeys.Length > 0;

    /// <summary>The search key of a whole number, E.164 ("+33612345678").</summary>
    public byte[] PhoneHash(string e164) => Hash(_hashKey, WholeText(e164));

    /// <summary>The search key of a number's last 6 digits (any written form; fewer digits hash what there is).</summary>
    public byte[] PhoneSuffixHash(string phone) => Hash(_hashKey, SuffixText(phone));

    /// <summary>What a search looks up: <see cref="PhoneHash"/> under the current key and any retired one.</summary>
    public byte[][] PhoneHashes(string e164) => [PhoneHash(e164), .. _retiredHashKeys.Select(k => Hash(k, WholeText(e164)))];

    /// <summary>What a search looks up: <see cref="PhoneSuffixHash"/> under the current key and any retired one.</summary>
    public byte[][] PhoneSuffixHashes(string phone) => [PhoneSuffixHash(phone), .. _retiredHashKeys.Select(k => Hash(k, SuffixText(phone)))];

    private static string WholeText(string e164) => "phone:" + e164;

    private static string SuffixText(string phone)
    {
        var digits = PhoneNumbers.Digits(phone);
        return "suffix:" + digits[Math.Max(0, digits.Length - PhoneNumbers.SuffixDigits)..];
    }

    private static byte[] Hash(byte[] key, string text) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));
}
