using Dispatch.Server.Accounts;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>run.sh's demo accounts: `Dispatch.Server demo-accounts` prints each account's password, and each signs in with it.</summary>
public sealed class DemoAccountsTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Demo_accounts_are_created_for_every_role_and_sign_in_with_the_printed_passwords()
    {
        server.RequireServices();
        var config = server.Services.GetRequiredService<IConfiguration>();
        using var output = new StringWriter();
        var code = await AccountCommands.RunAsync(
            ["demo-accounts", "--environment", "Development", $"--ConnectionStrings:Postgres={config["ConnectionStrings:Postgres"]}", $"--ConnectionStrings:Redis={config["ConnectionStrings:Redis"]}"],
            TextReader.Null, false, output);
        Assert.True(code == 0, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (var (username, role) in new[] { ("admin", "admin"), ("dispatcher", "dispatcher"), ("shop-1", "merchant"), ("courier-1", "courier") })
        {
            var words = lines.Single(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2] == username).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var session = await server.SessionAsync(username, words[^1]);
            Assert.Equal(role, session.GetProperty("role").GetString());
        }
    }
}
