using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("13812345570", "138****5570")]
    [InlineData("138 1234 5570", "138****5570")]
    [InlineData("138-1234-5570", "138****5570")]
    [InlineData("+86 138 1234 5570", "861******5570")]
    [InlineData("+377 93 15 26 00", "377****2600")]
    [InlineData("12345678", "123*5678")]
    public void Keeps_the_first_three_and_last_four_digits(string phone, string masked)
    {
        Assert.Equal(masked, PhoneMask.Mask(phone));
    }

    [Theory]
    [InlineData("1234567", "*****67")]
    [InlineData("123", "*23")]
    [InlineData("12", "12")]
    [InlineData("7", "7")]
    public void Short_numbers_show_only_the_last_two_digits(string phone, string masked)
    {
        Assert.Equal(masked, PhoneMask.Mask(phone));
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
    public void Middle_digits_never_appear_and_length_is_kept()
    {
        var masked = PhoneMask.Mask("13899990000");

        Assert.Equal(11, masked.Length);
        Assert.DoesNotContain("9999", masked, StringComparison.Ordinal);
        Assert.Equal(4, masked.Count(c => c == '*'));
    }
}
