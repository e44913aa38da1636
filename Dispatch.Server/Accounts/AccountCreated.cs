namespace Dispatch.Server.Accounts;

/// <summary>An account made or reset; <see cref="Password"/> only when the server generated it (shown once).</summary>
internal sealed record AccountCreated(Guid Id, string Username, string Role, string Subject, bool Created, string? Password);
