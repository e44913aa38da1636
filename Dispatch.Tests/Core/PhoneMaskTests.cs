using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("+86 138 1234 5570 12", "861********7012")] // 15 digits: 7 shown
    [InlineData("+86 138 1234 5570 1", "861*******5701")] // 14 digits: 7 shown
    [InlineData("+86 138 1234 5570", "861*******570")] // 13 digits: 6 shown
    [InlineData("+377 6 12 34 55 70", "377******570")] // 12 digits
    [InlineData("13812345570", "13******570")] // 11 digits: 5 shown, 6 hidden
    [InlineData("138-1234-5570", "13******570")]
    [InlineData("+377 93 15 26 00", "37******600")]
    [InlineData("06 12 34 56 78", "06*****678")] // 10 digits
    [InlineData("12345678", "12****78")] // was 123*5678: one digit hidden
    [InlineData("1234567", "1****67")]
    [InlineData("123456", "1***56")]
    [InlineData("123", "**3")]
    [InlineData("12", "*2")]
    [InlineData("7", "*")]
    public void Hides_at_least_half_of_the_digits(string phone, string masked)
    {
        Assert.Equal(masked, PhoneMask.Mask(phone));
    }

    [Fact]
    public void Every_length_hides_at_least_half_and_keeps_the_length()
    {
        for (var n = 1; n <= 20; n++)
        {
            var masked = PhoneMask.Mask(new string('5', n));
            Assert.Equal(n, masked.Length);
            Assert.True(masked.Count(c => c == '*') * 2 >= n, $"{n} digits: {masked} hides fewer than half");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("n/a")]
    public void Missing_or_digitless_phone_gives_an_empty_string(string? phone)
    {
        Assert.Equal("", PhoneMask.Mask(phone));
    }

    [Fact]
    public void Middle_digits_never_appear()
    {
        var masked = PhoneMask.Mask("13899990000");

        Assert.DoesNotContain("99", masked, StringComparison.Ordinal);
    }
}
