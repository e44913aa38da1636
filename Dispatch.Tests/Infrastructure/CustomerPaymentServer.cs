namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A <see cref="CustomerServer"/> priced in CNY with the WeChat Pay and Alipay adapters switched on against a
/// <see cref="PaymentProviderFake"/> (both providers charge CNY only), for the ordering page's provider step.
/// </summary>
public sealed class CustomerPaymentServer : CustomerServer, IAsyncLifetime
{
    public PaymentProviderFake Fake { get; private set; } = null!;

    public new async ValueTask InitializeAsync()
    {
        Fake = await PaymentProviderFake.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Dispatch:Currency"] = "CNY";
        PaymentProviderServer.UseFake(Fake, settings);
    }
}
