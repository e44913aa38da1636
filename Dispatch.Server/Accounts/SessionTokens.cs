namespace Dispatch.Server.Accounts;

/// <summary>What sign-in and refresh answer: a short-lived access token (the JWT the hubs and APIs accept) and its refresh token.</summary>
internal sealed record SessionTokens(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string Role,
    string Subject,
    string Name);
