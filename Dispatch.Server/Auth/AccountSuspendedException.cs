namespace Dispatch.Server.Auth;

/// <summary>Why a valid access token was refused: its account was suspended after it was issued.</summary>
internal sealed class AccountSuspendedException()
    : Exception("This account was suspended by an admin; its tokens are refused. Ask an admin to reinstate it.");
