using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class PhoneNumbersTests
{
    private const int France = 33;

    [Theory]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    [InlineData("+33612345678", "+33612345678")]
    [InlineData("06 12 34 56 78", "+33612345678")] // national: trunk 0 → default country
    [InlineData("06.12.34.56.78", "+33612345678")]
    [InlineData("(06) 12-34-56-78", "+33612345678")]
    [InlineData("0033 6 12 34 56 78", "+33612345678")] // 00 is the international prefix
    [InlineData("  +377 6 12 34 55 70 ", "+377612345570")]
    [InlineData("+377 93 15 26 00", "+37793152600")]
    [InlineData("+86 138 1234 5570", "+8613812345570")]
    [InlineData("+1 (212) 555-0100", "+12125550100")]
    [InlineData("+12345678", "+12345678")] // 8 digits: the shortest accepted
    [InlineData("+123456789012345", "+123456789012345")] // 15 digits: the longest
    public void Normalises_written_numbers_to_E164(string written, string e164)
    {
        Assert.True(PhoneNumbers.TryNormalize(written, France, out var normalised, out var error), error);
        Assert.Equal(e164, normalised);
    }

    [Fact]
    public void A_national_number_takes_the_configured_country()
    {
        Assert.True(PhoneNumbers.TryNormalize("06 12 34 56 78", 41, out var swiss, out _));
        Assert.Equal("+41612345678", swiss);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("  ", "is required")]
    [InlineData("123456", "must start with +")] // the old rule took 6 digits
    [InlineData("+123456", "has 6 digits")]
    [InlineData("+1234567", "has 7 digits")]
    [InlineData("061234", "has 7 digits")] // national: 33 + 61234
    [InlineData("+1234567890123456", "has 16 digits")]
    [InlineData("call me", "may hold only")]
    [InlineData("+33 6 12 34 56 78 ext 5", "may hold only")]
    [InlineData("+33\u00006 12 34 56 78", "may hold only")]
    [InlineData("+33 6 12+34 56 78", "may hold only")]
    [InlineData("+0 6 12 34 56 78", "has no country code")]
    [InlineData("000 6 12 34 56 78", "has no country code")]
    [InlineData("+", "has no country code")]
    [InlineData("612345678", "must start with +")]
    [InlineData("+33 6 12 34 56 78 90 12 34 56 78 90 12", "longer than 32")]
    public void Refuses_what_is_not_an_international_number(string? written, string because)
    {
        Assert.False(PhoneNumbers.TryNormalize(written, France, out var e164, out var error));
        Assert.Null(e164);
        Assert.Contains(because, error, StringComparison.Ordinal);
    }
}
