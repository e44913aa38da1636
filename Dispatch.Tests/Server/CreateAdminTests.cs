using System.Net;
using Dispatch.Server.Accounts;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>The first admin of a fresh install: `Dispatch.Server create-admin &lt;username&gt;` creates it, and run again resets it.</summary>
public sealed class CreateAdminTests(ProductionServer server) : IClassFixture<ProductionServer>
{
    // The verb configured as an operator would, in Production: this class's database and Redis, nothing else.
    private string[] Settings()
    {
        var config = server.Services.GetRequiredService<IConfiguration>();
        return ["--environment", "Production", $"--ConnectionStrings:Postgres={config["ConnectionStrings:Postgres"]}", $"--ConnectionStrings:Redis={config["ConnectionStrings:Redis"]}"];
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args, string? stdin)
    {
        using var output = new StringWriter();
        var code = await AccountCommands.RunAsync(args, new StringReader(stdin ?? ""), stdin is not null, output);
        return (code, output.ToString());
    }

    [Fact]
    public async Task Create_admin_creates_the_account_then_resets_it_and_its_sessions()
    {
        server.RequireServices();
        var (code, output) = await RunAsync(["create-admin", "root", .. Settings()], "first password 1\n");
        Assert.True(code == 0, output);
        Assert.Contains("created admin", output, StringComparison.Ordinal);
        var refresh = (await server.SessionAsync("root", "first password 1")).GetProperty("refreshToken").GetString()!;
        for (var i = 0; i < 5; i++) await server.SignInAsync("root", "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.SignInAsync("root", "first password 1")).StatusCode); // locked out

        // Without input the password is generated and printed; the reset clears the lockout and ends every session.
        (code, output) = await RunAsync(["create-admin", "root", .. Settings()], null);
        Assert.True(code == 0, output);
        Assert.Contains("reset", output, StringComparison.Ordinal);
        var generated = output.Trim().Split(' ')[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync("root", "first password 1")).StatusCode);
        var session = await server.SessionAsync("root", generated);
        Assert.Equal("admin", Accounts.Jwt(session.GetProperty("accessToken").GetString()!).Claims.Single(c => c.Type == "role").Value);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.RefreshAsync(refresh)).StatusCode);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from accounts where user_name = 'root'"));
    }

    [Fact]
    public async Task Create_admin_refuses_a_short_password_and_empty_input_without_creating_anything()
    {
        server.RequireServices();
        var (code, output) = await RunAsync(["create-admin", "shorty", .. Settings()], "short\n");
        Assert.Equal(1, code);
        Assert.Contains("at least 10", output, StringComparison.Ordinal);
        (code, output) = await RunAsync(["create-admin", "shorty", .. Settings()], "");
        Assert.Equal(2, code);
        Assert.Contains("standard input is empty", output, StringComparison.Ordinal);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from accounts where user_name = 'shorty'"));
    }
}
