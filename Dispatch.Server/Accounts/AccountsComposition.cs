using Dispatch.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Accounts;

/// <summary>Wires accounts: Identity's user store, sessions, merchant keys and the signed-request scheme beside JWT bearer.</summary>
internal static class AccountsComposition
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AccountsOptions>().Bind(config.GetSection(AccountsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<SuspendedAccountsRefresh>();
        services.AddDbContext<AccountsDbContext>((sp, o) => Configure(o, b => b.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), Npgsql)));
        services.AddIdentityCore<AccountUser>().AddEntityFrameworkStores<AccountsDbContext>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountsOptions>>((identity, accounts) =>
        {
            var a = accounts.Value;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = a.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(a.LockoutMinutes);
            identity.Password = new PasswordOptions
            {
                RequiredLength = a.MinPasswordLength,
                RequireDigit = false,
                RequireLowercase = false,
                RequireUppercase = false,
                RequireNonAlphanumeric = false,
                RequiredUniqueChars = 4,
            };
            identity.User.RequireUniqueEmail = false;
            identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
        });
        services.AddScoped<SessionCoordinator>();
        services.AddScoped<AccountsCoordinator>();
        services.AddScoped<AccountDirectory>();
        services.AddScoped<MerchantKeys>();
        return services;
    }

    /// <summary>Signed merchant requests beside JWT bearer: the default scheme picks one by the Dispatch-Key header.</summary>
    public static AuthenticationBuilder AddSignedRequests(this AuthenticationBuilder auth) => auth
        .AddScheme<AuthenticationSchemeOptions, SignedRequestHandler>(SignedRequestHandler.SchemeName, null)
        .AddPolicyScheme(SignedRequestHandler.EitherScheme, null, o => o.ForwardDefaultSelector = http =>
            http.Request.Headers.ContainsKey(SignedRequestHandler.KeyHeader) ? SignedRequestHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme);

    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, Action<DbContextOptionsBuilder> provider)
    {
        provider(options);
        return options.UseSnakeCaseNamingConvention();
    }

    internal static void Npgsql(global::Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder n) =>
        n.MigrationsHistoryTable(AccountsDbContext.MigrationsHistoryTable);

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app) => app.MapAuthApi().MapAccountsApi().MapMerchantKeysApi();

    /// <summary>Brings the accounts tables to the latest migration.</summary>
    public static async Task MigrateAccountsAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Database.MigrateAsync(ct);
    }

    // The roles an admin may give; the same list the dev token endpoint accepts.
    internal static bool IsRole(string? role) => role is not null && Roles.All.Contains(role);
}
