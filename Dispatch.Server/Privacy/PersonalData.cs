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
public sealed class PersonalData
{
    /// <summary>The Data Protection purpose: ciphertexts made for it cannot be opened by any other protector of the app.</summary>
    public const string Purpose = "Dispatch.Orders.PersonalData.v1";

    private readonly IDataProtector _protector;
    private readonly byte[] _hashKey;

    public PersonalData(IDataProtectionProvider provider, IOptions<PrivacyOptions> options)
    {
        _protector = provider.CreateProtector(Purpose);
        _hashKey = Convert.FromHexString(options.Value.PhoneHashKey);
        Converter = new ValueConverter<string, string>(plain => Protect(plain), stored => Unprotect(stored));
    }

    /// <summary>Maps an entity's plain text to its ciphertext column and back (empty stays empty: it hides nothing).</summary>
    public ValueConverter<string, string> Converter { get; }

    public string Protect(string plain) => plain.Length == 0 ? "" : _protector.Protect(plain);

    public string Unprotect(string stored) => stored.Length == 0 ? "" : _protector.Unprotect(stored);

    /// <summary>The search key of a whole number, E.164 ("+33612345678").</summary>
    public byte[] PhoneHash(string e164) => Hash("phone:" + e164);

    /// <summary>The search key of a number's last 6 digits (any written form; fewer digits hash what there is).</summary>
    public byte[] PhoneSuffixHash(string phone)
    {
        var digits = PhoneNumbers.Digits(phone);
        return Hash("suffix:" + digits[Math.Max(0, digits.Length - PhoneNumbers.SuffixDigits)..]);
    }

    private byte[] Hash(string text) => HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(text));
}
