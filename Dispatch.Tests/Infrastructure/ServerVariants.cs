namespace Dispatch.Tests.Infrastructure;

/// <summary>Broadcast dispatch: every order is offered to the two best couriers at once (first accept wins).</summary>
public sealed class BroadcastServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Dispatch:OfferFanout"] = "2";
}

/// <summary>Offers expire after 2 s and the loop ticks every 100 ms, so expiry can be watched in a test.</summary>
public sealed class ShortOfferServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:OfferTimeoutSeconds"] = "2";
        settings["Dispatch:LoopIntervalMilliseconds"] = "100";
    }
}
