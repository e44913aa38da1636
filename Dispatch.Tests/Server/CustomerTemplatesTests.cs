using Dispatch.Core.Notifications;
using Dispatch.Server.Notifications.Customers;

namespace Dispatch.Tests.Server;

/// <summary>The message templates: every supported language has every kind, with the order number and the link filled in.</summary>
public sealed class CustomerTemplatesTests
{
    public static TheoryData<string, CustomerNoticeKind> Every()
    {
        var data = new TheoryData<string, CustomerNoticeKind>();
        foreach (var language in CustomerLanguages.Supported)
            foreach (var kind in Enum.GetValues<CustomerNoticeKind>()) data.Add(language, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_language_has_every_kind_with_the_number_and_the_link(string language, CustomerNoticeKind kind)
    {
        Assert.True(CustomerTemplates.IsComplete(language));
        var text = CustomerTemplates.Render(kind, language, "D-000042", "https://t.example/track/abc");
        Assert.Contains("D-000042", text, StringComparison.Ordinal);
        // A sign-in code is about no order: {number} is the code and there is no link to give.
        if (kind != CustomerNoticeKind.SignInCode) Assert.EndsWith("https://t.example/track/abc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_language_falls_back_to_english()
    {
        Assert.StartsWith("Order D-1: delivered", CustomerTemplates.Render(CustomerNoticeKind.Delivered, "de", "D-1", "x"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("claire@example.org", "c*****@example.org")]
    [InlineData("a@b.fr", "a***@b.fr")]
    [InlineData("nobody", "******")]
    public void Emails_are_masked_in_logs(string email, string masked)
    {
        Assert.Equal(masked, ContactMask.Email(email));
    }
}
