extern alias CourierApp;

using System.Net;
using CourierApp::Dispatch.Courier.Api;

namespace Dispatch.Tests.Courier;

/// <summary>Which failures the simulator sends again, and how long it waits before each retry.</summary>
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void Faults_are_retried_and_answers_are_not(HttpStatusCode status, bool retried) =>
        Assert.Equal(retried, RetryPolicy.IsRetryable(new DispatchApiException("x", status, "api/payments/callback", null, null), CancellationToken.None));

    [Fact]
    public void A_refused_connection_and_a_timeout_are_retried_but_our_own_cancellation_is_not()
    {
        Assert.True(RetryPolicy.IsRetryable(new HttpRequestException("Connection refused"), CancellationToken.None));
        Assert.True(RetryPolicy.IsRetryable(new TaskCanceledException("timeout"), CancellationToken.None));
        Assert.False(RetryPolicy.IsRetryable(new TaskCanceledException(), new CancellationToken(canceled: true)));
        Assert.False(RetryPolicy.IsRetryable(new DispatchApiException("unreadable JSON"), CancellationToken.None));
    }

    [Fact]
    public void The_pause_doubles_with_jitter_up_to_the_cap_and_waits_for_Retry_After()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), Policy.DelayBefore(1, null, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), Policy.DelayBefore(1, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(8), Policy.DelayBefore(4, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.DelayBefore(40, null, 1));
        Assert.Equal(TimeSpan.FromSeconds(15), Policy.DelayBefore(40, null, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), Policy.DelayBefore(1, TimeSpan.FromSeconds(5), 0.3));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.DelayBefore(1, TimeSpan.FromHours(1), 0.3));
    }
}
