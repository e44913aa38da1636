using Dispatch.Core.Contracts;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The hostile battery's hub table: calls on /hubs/courier (as a courier who is not on the order), /hubs/tracking (with
/// shop-1's order link) and /hubs/control (as a dispatcher), each with the words its HubException must contain: the
/// argument or rule it names. A new hub method is one new row; every row runs over JSON and MessagePack.
/// </summary>
public static class HostileHubInputs
{
    public const string Closed = "(connection closed)";

    // Keys and enum names as .NET spells them: MessagePack matches them exactly, JSON ignores case.

    public sealed record HubCall(string Name, string Hub, string Method, Func<HostileServer, string, object?[]> Args, string Expect);

    private static readonly string Fix = DateTimeOffset.UtcNow.ToString("O");

    private static LocationFix GoodFix(int i) => new(DateTimeOffset.UtcNow.AddSeconds(i - 600), 43.738, 7.425, 5, 0, 0);

    public static readonly HubCall[] Calls =
    [
        new("GoOnline: equipment as a number", "courier", "GoOnline", (_, _) => [new Dictionary<string, object> { ["Equipment"] = 1, ["Vehicle"] = "Scooter", ["Capacity"] = 2 }], "argument request"),
        new("GoOnline: vehicle as the string 1", "courier", "GoOnline", (_, _) => [new Dictionary<string, object> { ["Equipment"] = "None", ["Vehicle"] = "1", ["Capacity"] = 2 }], "argument request"),
        new("GoOnline: capacity 1e308", "courier", "GoOnline", (_, _) => [new Dictionary<string, object> { ["Equipment"] = "None", ["Vehicle"] = "Scooter", ["Capacity"] = 1e308 }], "argument request"),
        new("GoOnline: capacity 100,000", "courier", "GoOnline", (_, _) => [new Dictionary<string, object> { ["Equipment"] = "None", ["Vehicle"] = "Scooter", ["Capacity"] = 100_000 }], "Capacity"),
        new("SendFixes: not a list", "courier", "SendFixes", (_, _) => ["fixes"], "argument fixes"),
        new("SendFixes: lat as the string NaN", "courier", "SendFixes", (_, _) =>
            [new object[] { new Dictionary<string, object> { ["Time"] = Fix, ["Lat"] = "NaN", ["Lon"] = 7.42, ["Accuracy"] = 5, ["Speed"] = 0, ["Heading"] = 0 } }], "argument fixes"),
        new("AcceptOffer: SQL instead of an id", "courier", "AcceptOffer", (_, _) => ["'; drop table offers; --"], "argument offerId"),
        new("AcceptOffer: no arguments", "courier", "AcceptOffer", (_, _) => [], "takes 1 argument"),
        new("AcceptOffer: two arguments", "courier", "AcceptOffer", (_, _) => [Guid.NewGuid(), 1], "takes 1 argument"),
        new("DeclineOffer: NUL in the reason", "courier", "DeclineOffer", (_, _) => [Guid.NewGuid(), "no\0thanks"], "reason contains a control character"),
        new("DeclineOffer: 1 MB reason", "courier", "DeclineOffer", (_, _) => [Guid.NewGuid(), new string('a', 1 << 20)], Closed),
        new("Delivered: NUL in the PIN", "courier", "Delivered", (s, _) => [s.Order.Id, "12\u00003"], "pin contains a control character"),
        new("PickedUp: an order of someone else", "courier", "PickedUp", (s, _) => [s.Order.Id], "not assigned to you"),
        new("CompleteStop: index as text", "courier", "CompleteStop", (s, _) => [s.Order.Id, "first"], "argument stopIndex"),
        new("SubmitReceipt: amount 2^31", "courier", "SubmitReceipt", (s, _) => [s.Order.Id, new Dictionary<string, object> { ["AmountCents"] = 2147483648L, ["PhotoRef"] = "r" }], "argument receipt"),
        new("SubmitReceipt: NUL in the photo reference", "courier", "SubmitReceipt", (s, _) => [s.Order.Id, new Dictionary<string, object> { ["AmountCents"] = 100, ["PhotoRef"] = "x\0" }], "photoRef contains a control character"),
        new("GoOffline: an argument", "courier", "GoOffline", (_, _) => [true], "takes 0 argument"),
        new("TodaysEarnings: an argument", "courier", "TodaysEarnings", (_, _) => ["today"], "takes 0 argument"),
        new("SendFixes: 501 fixes", "courier", "SendFixes", (_, _) => [Enumerable.Range(0, 501).Select(i => GoodFix(i)).ToArray()], "at most 500"),
        new("DeclineOffer: reason as a number", "courier", "DeclineOffer", (_, _) => [Guid.NewGuid(), 42], "argument reason"),
        new("Delivered: PIN as a list", "courier", "Delivered", (s, _) => [s.Order.Id, new[] { 1, 2, 3, 4 }], "argument pin"),
        new("ArrivedAtPickup: an order of someone else", "courier", "ArrivedAtPickup", (s, _) => [s.Order.Id], "not assigned to you"),
        new("Subscribe: SQL as the token", "tracking", "Subscribe", (_, _) => ["' or 1=1; --"], "not valid"),
        new("Watch: 1,000-character zone", "control", "Watch", (_, _) => [new string('m', 1000)], "zone must be at most"),
        new("Subscribe: forged token", "tracking", "Subscribe", (_, link) => [DispatchServer.Forged(link)], "not valid"),
        new("Subscribe: token as a number", "tracking", "Subscribe", (_, _) => [5], "argument token"),
        new("Subscribe: 2,000-character token", "tracking", "Subscribe", (_, _) => [new string('A', 2000)], "token must be at most"),
        new("Rate: another order's id", "tracking", "Rate", (s, link) => [link, s.OtherMerchantsOrder.Id, 5, "great"], "another order"),
        new("Rate: NUL in the comment", "tracking", "Rate", (s, link) => [link, s.Order.Id, 5, "fine\0"], "comment contains a control character"),
        new("Rate: stars as text", "tracking", "Rate", (s, link) => [link, s.Order.Id, "five", null], "argument stars"),
        new("DecideReceipt: approve as text", "tracking", "DecideReceipt", (s, link) => [link, s.Order.Id, "yes"], "argument approve"),
        new("Watch: NUL in the zone", "control", "Watch", (_, _) => ["mon\0aco"], "zone contains a control character"),
        new("Watch: zone as an object", "control", "Watch", (_, _) => [new Dictionary<string, object> { ["a"] = 1 }], "argument zone"),
        new("Watch: SQL in the zone", "control", "Watch", (_, _) => ["'; drop table zones; --"], "not served"),
    ];
}
