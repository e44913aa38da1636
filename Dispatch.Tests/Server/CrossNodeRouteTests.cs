using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A dispatcher's assignment that lands on a node holding neither courier (issue 20): that node plans the new courier's road
/// route from their position in Redis, the courier is pushed it, and the node holding the courier attaches the stored route
/// to its book, so their position pushes follow the road there.
/// </summary>
public sealed class CrossNodeRouteTests(MultiNodeRoadServer server) : IClassFixture<MultiNodeRoadServer>
{
    private const double Lat = 43.7375, Lon = 7.4240;

    [Fact]
    public async Task An_assignment_made_on_another_node_gives_the_courier_a_route_their_own_node_follows()
    {
        server.RequireNetwork();
        await using var b = await server.NodeAsync();
        await using var first = await server.OnlineCourierAtAsync("route-node-first", Lat, Lon);
        var order = await server.CreateOrderAsync();
        try
        {
            await server.PayAsync(order.Id);
            await first.AcceptAsync((await first.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer")).OfferId);
            await first.Routes.NextAsync(r => r.OrderId == order.Id, TimeSpan.FromSeconds(20), "the first courier's route");
            await using var second = await server.OnlineCourierAtAsync("route-node-second", Lat + 0.0008, Lon);

            // The dispatcher's request reaches node B; both couriers' sessions are on node A.
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{order.Id}/assign")
            {
                Content = JsonContent.Create(new { courierId = second.Id, reason = "closer to the shop" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "dispatcher-1"));
            using var response = await b.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var route = await second.Routes.NextAsync(r => r.OrderId == order.Id, TimeSpan.FromSeconds(20), "the second courier's route, planned on node B");
            Assert.Equal(1, await server.ScalarAsync("select count(*) from routes where order_id = $1 and courier_id = $2 and version = $3", order.Id, second.Id, route.Version));
            var book = server.Services.GetRequiredService<AssignmentBook>();
            await Eventually.WaitForAsync(() => Task.FromResult(book.For(second.Id).FirstOrDefault(a => a.OrderId == order.Id)?.Route?.Version ?? 0),
                v => v == route.Version, "node A's book following the route planned on node B");
            Assert.DoesNotContain(book.For(first.Id), a => a.OrderId == order.Id);
        }
        finally
        {
            using var _ = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
