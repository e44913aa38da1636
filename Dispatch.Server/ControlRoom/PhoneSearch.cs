using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Dispatch.Server.Privacy;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// The board's search by customer phone, over the keyed hashes (phones are stored encrypted). A whole number, national
/// ("06 12 34 56 78") or international, is looked up by the hash of its E.164 form; 6 or more digits that are not a whole
/// number ("345570", "33612345570") by the hash of their last 6 digits, and then must end the decrypted number.
/// </summary>
internal sealed class PhoneSearch
{
    /// <summary>Most orders read for one last-6-digits hash before the rest of the digits are compared.</summary>
    public const int MaxSuffixCandidates = 1_000;

    // Each under the current hash key and any retired one (Privacy:RetiredPhoneHashKeys).
    private readonly byte[][]? _wholeHashes;
    private readonly byte[][]? _suffixHashes;
    private readonly string _digits;

    private PhoneSearch(byte[][]? wholeHashes, byte[][]? suffixHashes, string digits)
    {
        _wholeHashes = wholeHashes;
        _suffixHashes = suffixHashes;
        _digits = digits;
    }

    public static Outcome<PhoneSearch> Parse(string phone, int defaultCountryCallingCode, PersonalData personal)
    {
        var digits = PhoneNumbers.Digits(phone);
        if (digits.Length < PhoneNumbers.SuffixDigits || phone.Length > PhoneNumbers.MaxLength)
            return Failure.BadRequest("phone", $"Give at least the last {PhoneNumbers.SuffixDigits} digits of the customer's phone (at most {PhoneNumbers.MaxLength} characters).");
        return PhoneNumbers.TryNormalize(phone, defaultCountryCallingCode, out var e164, out _)
            ? new PhoneSearch(personal.PhoneHashes(e164), null, digits)
            : new PhoneSearch(null, personal.PhoneSuffixHashes(digits), digits);
    }

    /// <summary>How many rows to read for <paramref name="limit"/> results: more when digits are compared after reading.</summary>
    public int Candidates(int limit) => _wholeHashes is null ? MaxSuffixCandidates : limit;

    public IQueryable<OrderRecord> Filter(IQueryable<OrderRecord> orders)
    {
        if (_wholeHashes is { } whole) return whole.Length == 1 ? orders.Where(o => o.CustomerPhoneHash == whole[0]) : orders.Where(o => whole.Contains(o.CustomerPhoneHash));
        var suffix = _suffixHashes!;
        return suffix.Length == 1 ? orders.Where(o => o.CustomerPhoneSuffixHash == suffix[0]) : orders.Where(o => suffix.Contains(o.CustomerPhoneSuffixHash));
    }

    /// <summary>A search's query string for the log, with the phone masked: logs are kept longer and read wider than the table.</summary>
    public static string Redacted(IQueryCollection query) =>
        string.Join('&', query.Select(p => $"{p.Key}={(p.Key == "phone" ? PhoneMask.Mask(p.Value) : p.Value.ToString())}"));

    /// <summary>Whether a row read through <see cref="Filter"/> matches all the digits given.</summary>
    public bool Matches(OrderRecord order) =>
        _wholeHashes is not null || PhoneNumbers.Digits(order.CustomerPhone).EndsWith(_digits, StringComparison.Ordinal);
}
