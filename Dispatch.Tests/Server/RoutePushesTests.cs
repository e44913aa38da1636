using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The route planned on accept is pushed from the outbox (issue 17): an accept committed while Redis is down answers with
/// the job, its route stored with the route's outbox row. The route's pushes used to go through the backplane right after
/// the route was saved, and Redis away made them throw into the accept: the courier was told nothing was changed although
/// the order was theirs.
/// </summary>
public sealed class RoutePushesTests
{
    [Fact]
    public async Task An_accept_while_Redis_is_down_answers_with_the_job_and_its_route_push_is_committed_with_the_route()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisRoadNetworkServer(redis);
        await server.InitializeAsync();
        server.RequireNetwork();
        await using var courier = await server.OnlineCourierAtAsync("rd-route", 43.7375, 7.4240);
        var order = await server.CreateOrderAsync();
        try
        {
            await server.PayAsync(order.Id);
            var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");

            redis.Kill();
            var accepted = await courier.AcceptAsync(offer.OfferId);

            Assert.Equal(order.Id, accepted.Job.OrderId);
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2", order.Id, courier.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from routes where order_id = $1 and version = 1", order.Id));
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox where order_id = $1 and kind = 'route.planned' and (payload->>'version')::int = 1 and payload->>'courierId' = $2",
                order.Id, courier.Id.ToString()));
            await redis.RestartAsync();
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
