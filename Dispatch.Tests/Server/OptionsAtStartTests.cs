using Dispatch.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Server;

/// <summary>
/// Each feature binds and validates its own options at start: a setting out of its range stops the server before it
/// serves anything, with a message naming the setting. Options are checked before any hosted service runs, so no
/// database or Redis is reached.
/// </summary>
public sealed class OptionsAtStartTests
{
    [Theory]
    [InlineData("Dispatch:ColdChainBudgetMinutes", "0", "ColdChainBudgetMinutes")]
    [InlineData("Dispatch:ColdChainBudgetMinutes", "601", "ColdChainBudgetMinutes")]
    [InlineData("ControlRoom:ColdChainAtRiskFraction", "2", "ColdChainAtRiskFraction")]
    [InlineData("RateLimits:FixBurst", "499", "RateLimits:FixBurst must be at least 500")]
    public async Task A_setting_out_of_range_stops_the_start_and_names_the_setting(string key, string value, string named)
    {
        await using var app = ServerComposition.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0"], b =>
        {
            b.Logging.ClearProviders();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none",
                ["ConnectionStrings:Redis"] = "127.0.0.1:1",
                [key] = value,
            });
        });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }
}
