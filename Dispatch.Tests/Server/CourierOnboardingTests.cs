using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Tests.Server;

/// <summary>
/// A courier registers, waits in the review queue, and goes online only once an admin approved them; dispatch works with
/// the equipment and capacity the admin verified, whatever GoOnline claims.
/// </summary>
public sealed class CourierOnboardingTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_registered_courier_waits_in_the_queue_and_goes_online_only_once_approved()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.waits", Equipment.InsulatedBox);
        var queue = await (await server.CallAsync(HttpMethod.Get, "/api/admin/couriers?review=pending", "admin")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var mine = queue.EnumerateArray().Single(c => c.GetProperty("courierId").GetGuid() == id);
        Assert.Equal("insulatedBox", mine.GetProperty("claimedEquipment").GetString());
        Assert.Equal("none", mine.GetProperty("verifiedEquipment").GetString());
        Assert.Equal("cold-box-certificate", mine.GetProperty("documents")[1].GetProperty("kind").GetString());
        Assert.DoesNotContain("40 11 22", mine.GetProperty("phone").GetString(), StringComparison.Ordinal); // masked in the queue

        await using var courier = await server.ConnectAsAsync("rita.waits", id);
        var refused = await Assert.ThrowsAsync<HubException>(() => courier.GoOnlineAsync());
        Assert.Contains("waiting for review", refused.Message, StringComparison.Ordinal);

        await server.ApproveAsync(id, Equipment.InsulatedBox, capacity: 2);
        var session = await courier.GoOnlineAsync(Equipment.InsulatedBox, capacity: 2);
        Assert.Equal(Equipment.InsulatedBox, session.Equipment);
        Assert.Equal(2, session.Capacity);
        Assert.Null(session.Notice);
    }

    [Fact]
    public async Task A_rejected_courier_cannot_go_online_and_sees_the_reason()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.rejected");
        var response = await server.ReviewAsync(id, "reject", new { reason = "Licence number does not match the name." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var courier = await server.ConnectAsAsync("rita.rejected", id);
        var refused = await Assert.ThrowsAsync<HubException>(() => courier.GoOnlineAsync());
        Assert.Contains("rejected", refused.Message, StringComparison.Ordinal);
        var token = (await server.SessionAsync("rita.rejected")).GetProperty("accessToken").GetString()!;
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/couriers/me");
        me.Headers.Authorization = new("Bearer", token);
        var view = await (await server.Http.SendAsync(me)).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal("rejected", view.GetProperty("review").GetString());
        Assert.Equal("Licence number does not match the name.", view.GetProperty("rejectionReason").GetString());
    }

    [Fact]
    public async Task A_courier_claiming_a_cold_box_not_verified_is_told_and_never_offered_frozen_goods()
    {
        server.RequireServices();
        // Right at the pickup, claiming a cold box and capacity 3; the admin verified no equipment and capacity 1.
        var id = await server.RegisterCourierAsync("rita.claims", Equipment.InsulatedBox);
        await server.ApproveAsync(id, Equipment.None, capacity: 1);
        await using var claimer = await server.ConnectAsAsync("rita.claims", id);
        var session = await claimer.GoOnlineAsync(Equipment.InsulatedBox, capacity: 3);
        Assert.Equal(Equipment.None, session.Equipment);
        Assert.Equal(1, session.Capacity);
        Assert.Contains("only None was verified", session.Notice, StringComparison.Ordinal);
        Assert.Contains("1 was verified", session.Notice, StringComparison.Ordinal);
        Assert.Equal(1, (await claimer.MoveToAsync(DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001)).Accepted);
        await server.WaitInGeoSetAsync(id, DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001);

        // A verified cold box farther away gets the frozen order.
        await using var cold = await server.OnlineCourierAtAsync("verified-cold", DispatchServer.CasinoLat + 0.004, DispatchServer.CasinoLon, Equipment.InsulatedBox);
        var frozen = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen"));
        await server.PayAsync(frozen.Id);
        await cold.Offers.NextAsync(o => o.OrderId == frozen.Id, what: "the frozen order offered to the verified cold box");
        Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1 and courier_id = $2", frozen.Id, id));
        var rounds = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{frozen.Id}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var excluded = rounds[0].GetProperty("excluded").EnumerateArray().Single(x => x.GetProperty("courierId").GetGuid() == id);
        Assert.Equal("frozen goods need an insulated box or cooler", excluded.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Suspending_an_online_courier_closes_their_connection_and_sends_their_unpicked_order_to_another()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.suspended");
        await server.ApproveAsync(id, Equipment.None, capacity: 2);
        var courier = await server.ConnectAsAsync("rita.suspended", id);
        await courier.GoOnlineAsync(Equipment.None);
        Assert.Equal(1, (await courier.MoveToAsync(DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001)).Accepted);
        await server.WaitInGeoSetAsync(id, DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer to the courier about to be suspended")).OfferId);
        await using var other = await server.OnlineCourierAtAsync("after-suspension", DispatchServer.CasinoLat + 0.003, DispatchServer.CasinoLon, Equipment.None);

        var response = await server.ReviewAsync(id, "suspend", new { reason = "Customer complaints under review." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Contains("suspended", (await courier.Ended.NextAsync(what: "the session-ended message")).Reason, StringComparison.Ordinal);
        await courier.Closed.NextAsync(what: "the server closing the connection");
        await other.Offers.NextAsync(o => o.OrderId == order.Id, what: "the suspended courier's order offered to another courier");
        Assert.Null(await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), Dispatch.Server.Fleet.FleetKeys.Member(id)));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and actor = 'admin-1'", order.Id));
        await courier.DisposeAsync();

        await using var again = await server.ConnectAsAsync("rita.suspended", id);
        var refused = await Assert.ThrowsAsync<HubException>(() => again.GoOnlineAsync(Equipment.None));
        Assert.Contains("suspended", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.ReviewAsync(id, "reinstate")).StatusCode);
        await again.GoOnlineAsync(Equipment.None);
    }

    [Fact]
    public async Task Each_review_action_leaves_one_audit_row_and_a_refused_one_leaves_none()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.audited");
        var target = $"courier:{id}";
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where target = $1 and action = 'courier.register'", target));

        await server.ApproveAsync(id, Equipment.None, capacity: 2);
        Assert.Equal(HttpStatusCode.Conflict, (await server.ReviewAsync(id, "approve", new { verifiedEquipment = "none", capacity = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.ReviewAsync(id, "suspend", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await server.ReviewAsync(id, "reinstate")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.ReviewAsync(id, "suspend", new { reason = "Documents expired." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.ReviewAsync(id, "reinstate")).StatusCode);
        var phone = await server.CallAsync(HttpMethod.Get, $"/api/admin/couriers/{id}/phone", "admin");
        Assert.Equal("+377640112233", (await phone.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("phone").GetString());

        var page = await (await server.CallAsync(HttpMethod.Get, $"/api/admin/audit?target={Uri.EscapeDataString(target)}", "admin")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var actions = page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray();
        Assert.Equal(["courier.phone.read", "courier.reinstate", "courier.suspend", "courier.approve", "courier.register"], actions);
        var approve = page.GetProperty("entries")[3];
        Assert.Equal("admin-1", approve.GetProperty("actor").GetString());
        Assert.Equal("admin", approve.GetProperty("role").GetString());
        Assert.Equal("pending", approve.GetProperty("before").GetProperty("review").GetString());
        Assert.Equal("approved", approve.GetProperty("after").GetProperty("review").GetString());
        Assert.False(string.IsNullOrEmpty(approve.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task A_bad_registration_names_the_field_and_stores_nothing()
    {
        server.RequireServices();
        var couriers = await server.ScalarAsync("select count(*) from couriers");
        var accounts = await server.ScalarAsync("select count(*) from accounts");
        var audit = await server.ScalarAsync("select count(*) from audit_log");

        var badPhone = await server.RegisterAsync(Onboarding.Form("rita.badphone", phone: "12"));
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.True((await badPhone.ProblemAsync()).GetProperty("errors").TryGetProperty("phone", out _));
        var noCertificate = await server.RegisterAsync(new
        {
            username = "rita.nocert", password = Accounts.Password, name = "Rita", phone = "+377 6 40 11 22 33", vehicle = "bicycle",
            equipment = "activeCooler", documents = new[] { new { kind = "licence", reference = "X1" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, noCertificate.StatusCode);
        Assert.True((await noCertificate.ProblemAsync()).GetProperty("errors").TryGetProperty("documents", out _));
        // A password the account rules refuse fails after the courier row was written: the transaction takes both back.
        var weak = await server.RegisterAsync(new
        {
            username = "rita.weak", password = "x", name = "Rita", phone = "+377 6 40 11 22 33", vehicle = "bicycle", equipment = "none",
            documents = new[] { new { kind = "licence", reference = "X1" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await weak.ProblemAsync()).GetProperty("errors").TryGetProperty("password", out _));

        Assert.Equal(couriers, await server.ScalarAsync("select count(*) from couriers"));
        Assert.Equal(accounts, await server.ScalarAsync("select count(*) from accounts"));
        Assert.Equal(audit, await server.ScalarAsync("select count(*) from audit_log"));
        await server.RegisterCourierAsync("rita.once");
        Assert.Equal(HttpStatusCode.Conflict, (await server.RegisterAsync(Onboarding.Form("rita.once"))).StatusCode);
    }

    [Fact]
    public async Task Only_admins_review_couriers_and_nobody_edits_the_audit_log()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.notyours");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.ReviewAsync(id, "approve", new { verifiedEquipment = "none", capacity = 1 }, role: "dispatcher")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Get, "/api/admin/audit", "dispatcher")).StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from audit_log where target = $1 and action <> 'courier.register'", $"courier:{id}"));
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync("delete from audit_log where target = $1", $"courier:{id}"));
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync("update audit_log set actor = 'someone' where target = $1", $"courier:{id}"));
    }
}
