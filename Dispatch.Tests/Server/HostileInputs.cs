using System.Net.Http.Headers;
using System.Text;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The hostile battery's table: every HTTP endpoint once (a new endpoint is one new row in <see cref="Endpoints"/>, which
/// gives it the no-token, expired-token and wrong-role cases), and the hostile inputs, each with the refusal it must get.
/// Paths and bodies may name <c>{order}</c> (shop-1's order) and <c>{other}</c> (shop-2's).
/// </summary>
public static class HostileInputs
{
    public const string Nul = "\\u0000";

    /// <summary>An endpoint, who may call it, and a body it reads (null: none).</summary>
    public sealed record Endpoint(string Method, string Path, string[] Roles, string? Body = null);

    /// <summary>A hostile call: as which role ("none", "expired", or a role), what is sent, the status and field of the refusal.</summary>
    public sealed record HttpCase(string Name, string Method, string Path, string Role, Func<HttpContent?> Body, int Status, string? Field);

    public static readonly Endpoint[] Endpoints =
    [
        new("POST", "/api/orders", ["merchant", "admin"], "{}"),
        new("GET", "/api/orders/{order}", ["merchant", "dispatcher", "admin"]),
        new("POST", "/api/orders/{order}/cancel", ["merchant", "dispatcher", "admin"], """{"reason":"x"}"""),
        new("GET", "/api/orders/search?q=1", ["dispatcher", "admin"]),
        new("GET", "/api/orders/{order}/route", ["dispatcher", "admin"]),
        new("GET", "/api/orders/{order}/dispatch", ["dispatcher", "admin"]),
        new("POST", "/api/orders/{order}/assign", ["dispatcher", "admin"], """{"courierId":"0193a1b2-0000-7000-8000-000000000000"}"""),
        new("POST", "/api/couriers/0193a1b2-0000-7000-8000-000000000000/reassign", ["dispatcher", "admin"], "{}"),
        new("POST", "/api/orders/{order}/unlock-pin", ["dispatcher", "admin"], """{"reason":"called the customer"}"""),
        new("POST", "/api/orders/{order}/allow-any-place", ["dispatcher", "admin"], """{"reason":"customer met us at the corner"}"""),
        new("POST", "/api/orders/{order}/fail", ["dispatcher", "admin"], """{"reason":"goods damaged"}"""),
        new("POST", "/api/zones/monaco/alerts/acknowledge", ["dispatcher", "admin"], """{"key":"x"}"""),
        new("PUT", "/api/zones/hostile", ["admin"], """{"boundary":"POLYGON((7.40 43.72, 7.44 43.72, 7.44 43.75, 7.40 43.75, 7.40 43.72))"}"""),
        new("DELETE", "/api/zones/monaco", ["admin"]),
        new("GET", "/api/zones/monaco/strategy", ["dispatcher", "admin"]),
        new("PUT", "/api/zones/monaco/strategy", ["admin"], """{"strategy":"broadcast","fanout":3}"""),
        new("DELETE", "/api/zones/monaco/strategy", ["admin"]),
        new("GET", "/api/zones/monaco/route?from=43.7396,7.4276&to=43.7309,7.4197", ["dispatcher", "merchant", "admin"]),
        new("GET", "/api/metrics/eta", ["dispatcher", "admin"]),
        new("GET", "/api/metrics/eta/padding", ["dispatcher", "admin"]),
        new("GET", "/api/metrics/pipeline", ["dispatcher", "admin"]),
    ];

    /// <summary>No token and an expired one are 401; a role the endpoint does not admit is 403 (a courier is admitted by none).</summary>
    public static IEnumerable<HttpCase> AuthCases() => Endpoints.SelectMany(e => new[]
    {
        new HttpCase($"{e.Method} {e.Path}: no token", e.Method, e.Path, "none", () => Json(e.Body), 401, null),
        new HttpCase($"{e.Method} {e.Path}: expired token", e.Method, e.Path, "expired:" + e.Roles[0], () => Json(e.Body), 401, null),
        new HttpCase($"{e.Method} {e.Path}: wrong role", e.Method, e.Path, "courier", () => Json(e.Body), 403, null),
    });

    private const string GoodPlaces =
        "\"pickup\":{\"lat\":43.7396,\"lon\":7.4276,\"address\":\"Place du Casino\"},\"dropoff\":{\"lat\":43.7309,\"lon\":7.4197,\"address\":\"Quai\"},\"customerPhone\":\"+377 6 12 34 55 70\",";

    private static string OrderWith(string extra) => "{\"kind\":\"errand\"," + GoodPlaces + extra + "}";

    public static IEnumerable<HttpCase> InputCases()
    {
        // Orders: malformed and wrong-typed JSON, unknown enums, absurd numbers, control characters, huge bodies.
        yield return Post("order: truncated JSON", "/api/orders", "merchant", """{"kind":""", 400, "kind");
        yield return Post("order: bare array", "/api/orders", "merchant", "[]", 400, "body");
        yield return Post("order: kind as a number", "/api/orders", "merchant", OrderWith("\"customerName\":\"A\"").Replace("\"errand\"", "1", StringComparison.Ordinal), 400, "kind");
        yield return Post("order: unknown kind", "/api/orders", "merchant", OrderWith("\"customerName\":\"A\"").Replace("\"errand\"", "\"banana\"", StringComparison.Ordinal), 400, "kind");
        yield return Post("order: lat as the string NaN", "/api/orders", "merchant", """{"kind":"errand","pickup":{"lat":"NaN","lon":7.4276}}""", 400, "pickup.lat");
        yield return Post("order: lat 1e308", "/api/orders", "merchant", OrderWith("\"customerName\":\"A\"").Replace("43.7396", "1e308", StringComparison.Ordinal), 400, "pickup.lat");
        yield return Post("order: price cap 2^31", "/api/orders", "merchant", OrderWith("\"buyForMe\":{\"priceCapCents\":2147483648,\"shoppingList\":\"eggs\"}"), 400, "buyForMe.priceCapCents");
        yield return Post("order: promisedAt tomorrow", "/api/orders", "merchant", OrderWith("\"promisedAt\":\"tomorrow\""), 400, "promisedAt");
        yield return Post("order: promisedAt in 9999", "/api/orders", "merchant", OrderWith("\"promisedAt\":\"9999-01-01T00:00:00Z\""), 400, "promisedAt");
        yield return Post("order: NUL in the pickup address", "/api/orders", "merchant", OrderWith("\"customerName\":\"A\"").Replace("Place du Casino", "Place" + Nul, StringComparison.Ordinal), 400, "pickup.address");
        yield return Post("order: NUL in the customer name", "/api/orders", "merchant", OrderWith($"\"customerName\":\"A{Nul}B\""), 400, "customerName");
        yield return Post("order: NUL in an item", "/api/orders", "merchant", OrderWith($"\"items\":[\"ok\",\"bad{Nul}\"]"), 400, "items[1]");
        yield return Post("order: NUL in the shopping list", "/api/orders", "merchant", OrderWith($"\"buyForMe\":{{\"priceCapCents\":2000,\"shoppingList\":\"eggs{Nul}\"}}"), 400, "buyForMe.shoppingList");
        yield return Post("order: escape character in a stop note", "/api/orders", "merchant",
            OrderWith("\"stops\":[{\"lat\":43.735,\"lon\":7.42,\"address\":\"Stop\",\"action\":\"pickup\",\"note\":\"ring \\u001b[2J\"}]"), 400, "stops[0].note");
        yield return Post("order: 1 MB customer name", "/api/orders", "merchant", OrderWith($"\"customerName\":\"{new string('a', 1 << 20)}\""), 413, "body");
        yield return new("order: 40 MB body", "POST", "/api/orders", "merchant", () => Huge(40 << 20), 413, "body");
        yield return new("order: text/plain body", "POST", "/api/orders", "merchant", () => new StringContent(OrderWith("\"customerName\":\"A\""), Encoding.UTF8, "text/plain"), 415, "body");

        // Cancel, assign, reassign, acknowledge: reasons and keys are text too.
        yield return Post("cancel: NUL in the reason", "/api/orders/{order}/cancel", "merchant", $"{{\"reason\":\"no{Nul}\"}}", 400, "reason");
        yield return Post("cancel: reason as a number", "/api/orders/{order}/cancel", "merchant", """{"reason":5}""", 400, "reason");
        yield return Post("cancel: 1 MB reason", "/api/orders/{order}/cancel", "dispatcher", $"{{\"reason\":\"{new string('a', 1 << 20)}\"}}", 413, "body");
        yield return Post("cancel: another merchant's order", "/api/orders/{other}/cancel", "merchant", """{"reason":"mine now"}""", 404, null);
        yield return Post("assign: courierId not an id", "/api/orders/{order}/assign", "dispatcher", """{"courierId":"'; drop table orders; --"}""", 400, "courierId");
        yield return Post("assign: NUL in the reason", "/api/orders/{order}/assign", "dispatcher", $"{{\"courierId\":\"0193a1b2-0000-7000-8000-000000000000\",\"reason\":\"x{Nul}\"}}", 400, "reason");
        yield return Post("reassign: NUL in the reason", "/api/couriers/0193a1b2-0000-7000-8000-000000000000/reassign", "dispatcher", $"{{\"reason\":\"x{Nul}\"}}", 400, "reason");
        yield return Post("unlock PIN: NUL in the reason", "/api/orders/{order}/unlock-pin", "dispatcher", $"{{\"reason\":\"ok{Nul}\"}}", 400, "reason");
        yield return Post("unlock PIN: reason as a list", "/api/orders/{order}/unlock-pin", "dispatcher", """{"reason":["a"]}""", 400, "reason");
        yield return Post("allow any place: escape in the reason", "/api/orders/{order}/allow-any-place", "dispatcher", "{\"reason\":\"x\\u001b[31m\"}", 400, "reason");
        yield return Post("allow any place: 1 MB reason", "/api/orders/{order}/allow-any-place", "admin", $"{{\"reason\":\"{new string('a', 1 << 20)}\"}}", 413, "body");
        yield return Post("fail: NUL in the reason", "/api/orders/{order}/fail", "dispatcher", $"{{\"reason\":\"crash{Nul}\"}}", 400, "reason");
        yield return Post("fail: reason as a number", "/api/orders/{order}/fail", "admin", """{"reason":5}""", 400, "reason");
        yield return Post("fail: 301-character reason", "/api/orders/{order}/fail", "dispatcher", $"{{\"reason\":\"{new string('a', 301)}\"}}", 400, "reason");
        yield return Post("fail: 1 MB reason", "/api/orders/{order}/fail", "dispatcher", $"{{\"reason\":\"{new string('a', 1 << 20)}\"}}", 413, "body");
        yield return Post("acknowledge: NUL in the key", "/api/zones/monaco/alerts/acknowledge", "dispatcher", $"{{\"key\":\"stale:{Nul}\"}}", 400, "key");
        yield return Post("acknowledge: key as an object", "/api/zones/monaco/alerts/acknowledge", "dispatcher", """{"key":{"a":1}}""", 400, "key");

        // Zones and strategies (admin).
        yield return new("zone: NUL in the boundary", "PUT", "/api/zones/hostile", "admin", () => Json($"{{\"boundary\":\"POLYGON((7.40 43.72{Nul}, 7.44 43.72, 7.44 43.75, 7.40 43.72))\"}}"), 400, "boundary");
        yield return new("zone: NUL in the name", "PUT", "/api/zones/bad%00name", "admin", () => Json("""{"boundary":"POLYGON((7.40 43.72, 7.44 43.72, 7.44 43.75, 7.40 43.72))"}"""), 400, null);
        yield return new("strategy: fan-out 100,000", "PUT", "/api/zones/monaco/strategy", "admin", () => Json("""{"strategy":"sequential","fanout":100000}"""), 400, "fanout");
        yield return new("strategy: window 1e308", "PUT", "/api/zones/monaco/strategy", "admin", () => Json("""{"batchWindowSeconds":1e308}"""), 400, "batchWindowSeconds");
        yield return new("strategy: 10 KB strategy name", "PUT", "/api/zones/monaco/strategy", "admin", () => Json($"{{\"strategy\":\"{new string('b', 10_000)}\"}}"), 400, "strategy");
        yield return new("strategy: strategy as a number", "PUT", "/api/zones/monaco/strategy", "admin", () => Json("""{"strategy":2}"""), 400, "strategy");

        // Queries: wrong types, ranges, SQL metacharacters and very long input in search.
        yield return Get("search: SQL in q", "/api/orders/search?q=%27%3B%20drop%20table%20orders%3B--", 400, "q");
        yield return Get("search: SQL in phone", "/api/orders/search?phone=1%27%20or%20%271%27%3D%271", 400, "phone");
        yield return Get("search: 4,000-character q", "/api/orders/search?q=" + new string('9', 4000), 400, "q");
        yield return Get("search: status as a number", "/api/orders/search?q=1&status=4", 400, "status");
        yield return Get("search: unknown status in a list", "/api/orders/search?q=1&status=Offered,Bogus", 400, "status");
        yield return Get("search: NUL in the zone", "/api/orders/search?q=1&zone=mon%00aco", 400, "zone");
        yield return Get("route: NaN coordinates", "/api/zones/monaco/route?from=NaN,NaN&to=43.7309,7.4197", 400, "from");
        yield return Get("route: vehicle as a number", "/api/zones/monaco/route?from=43.7396,7.4276&to=43.7309,7.4197&vehicle=1", 400, "vehicle");
        yield return Get("eta metrics: hours not a number", "/api/metrics/eta?hours=abc", 400, "hours");
        yield return Get("eta metrics: hours past an int", "/api/metrics/eta?hours=99999999999", 400, "hours");

        // The payment callback needs no credentials: it must refuse before holding a large body.
        yield return new("payment: 40 MB unsigned", "POST", "/api/payments/callback", "none", () => Huge(40 << 20), 413, "body");
        yield return new("payment: 20 KB unsigned", "POST", "/api/payments/callback", "none", () => Json($"{{\"pad\":\"{new string('a', 20 << 10)}\"}}"), 413, "body");
        yield return new("payment: unsigned", "POST", "/api/payments/callback", "none", () => Json("""{"orderId":"0193a1b2-0000-7000-8000-000000000000","status":"paid"}"""), 401, null);
        yield return Post("payment: signed, truncated JSON", "/api/payments/callback", "signed", """{"orderId":""", 400, "orderId");
        yield return Post("payment: signed, orderId not an id", "/api/payments/callback", "signed", """{"orderId":"1 or 1=1","status":"paid"}""", 400, "orderId");
        yield return Post("payment: signed, amount 1e308", "/api/payments/callback", "signed", """{"orderId":"{order}","status":"paid","amount":1e308}""", 400, "amount");
        yield return Post("payment: signed, status as a number", "/api/payments/callback", "signed", """{"orderId":"{order}","status":1}""", 400, "status");
        yield return Post("payment: signed, NUL in the status", "/api/payments/callback", "signed", $"{{\"orderId\":\"{{order}}\",\"status\":\"paid{Nul}\"}}", 400, "status");

        // More 1 MB strings: every body endpoint refuses them before reading them whole.
        yield return Post("assign: 1 MB reason", "/api/orders/{order}/assign", "dispatcher", $"{{\"reason\":\"{new string('a', 1 << 20)}\"}}", 413, "body");
        yield return Post("acknowledge: 1 MB key", "/api/zones/monaco/alerts/acknowledge", "dispatcher", $"{{\"key\":\"{new string('a', 1 << 20)}\"}}", 413, "body");
        yield return new("zone: 1 MB boundary", "PUT", "/api/zones/hostile", "admin", () => Json($"{{\"boundary\":\"{new string('1', 1 << 20)}\"}}"), 413, "body");
        yield return new("strategy: 1 MB strategy", "PUT", "/api/zones/monaco/strategy", "admin", () => Json($"{{\"strategy\":\"{new string('b', 1 << 20)}\"}}"), 413, "body");

        // Development helpers (mapped in Development only): a subject ends up in stored rows.
        yield return Post("dev token: NUL in the subject", "/dev/token", "none", $"{{\"role\":\"merchant\",\"subject\":\"shop{Nul}\"}}", 400, "subject");
        yield return Post("dev token: role as a number", "/dev/token", "none", """{"role":1}""", 400, "role");
        yield return Post("dev fleet: count 1e308", "/dev/fleet", "none", """{"count":1e308}""", 400, "count");
    }

    private static HttpCase Post(string name, string path, string role, string body, int status, string? field) =>
        new(name, "POST", path, role, () => Json(body), status, field);

    private static HttpCase Get(string name, string path, int status, string field) =>
        new(name, "GET", path, "dispatcher", () => null, status, field);

    public static HttpContent? Json(string? body) => body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");

    /// <summary>A JSON-typed body of <paramref name="bytes"/> zeros, with its Content-Length.</summary>
    private static ByteArrayContent Huge(int bytes)
    {
        var content = new ByteArrayContent(new byte[bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static string Resolve(string path, HostileServer server) =>
        path.Replace("{order}", server.Order.Id.ToString(), StringComparison.Ordinal).Replace("{other}", server.OtherMerchantsOrder.Id.ToString(), StringComparison.Ordinal);

    /// <summary>For tests that want the signature header on a callback body.</summary>
    public static string Sign(string body, string secret) => PaymentsCallback.Sign(Encoding.UTF8.GetBytes(body), secret);
}
