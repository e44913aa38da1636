using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.Http.Extensions;

namespace Dispatch.Server.OrderLists;

/// <summary>
/// A page's way on: the body stays a plain array (what the board already reads), and when more rows follow, the response
/// carries <c>Next-Cursor</c> and a <c>Link: &lt;same query with cursor&gt;; rel="next"</c> (RFC 8288). No header: last page.
/// </summary>
internal static class OrderPage
{
    public const string NextCursorHeader = "Next-Cursor";

    /// <summary>The rows of this page and the cursor after its last one, from one more row than the page fetched.</summary>
    public static (List<OrderRecord> Rows, OrderCursor? Next) Cut(List<OrderRecord> fetched, int limit) =>
        fetched.Count > limit ? (fetched[..limit], new OrderCursor(fetched[limit - 1].CreatedAt, fetched[limit - 1].Id)) : (fetched, null);

    public static void WriteNext(HttpContext http, OrderCursor? next)
    {
        if (next is not { } cursor) return;
        var encoded = cursor.Encode();
        var query = new QueryBuilder(http.Request.Query.Where(p => p.Key != "cursor")) { { "cursor", encoded } };
        http.Response.Headers[NextCursorHeader] = encoded;
        http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{query}>; rel=\"next\"";
    }
}
