namespace Dispatch.Core.Accounts;

/// <summary>The rules of one-time sign-in codes sent to a phone. Pure: the clock and the stored state are parameters.</summary>
public static class SignInCodeRules
{
    /// <summary>
    /// Judges an attempt on the newest code sent to a number. <paramref name="triesBefore"/> counts the wrong attempts already
    /// made on it; the attempt that makes <paramref name="maxTries"/> wrong ones spends the code.
    /// </summary>
    public static SignInCodeVerdict Judge(bool matches, DateTimeOffset expiresAt, bool used, int triesBefore, int maxTries, DateTimeOffset now)
    {
        if (used) return SignInCodeVerdict.Used;
        if (triesBefore >= maxTries) return SignInCodeVerdict.TooManyTries;
        if (now >= expiresAt) return SignInCodeVerdict.Expired;
        return matches ? SignInCodeVerdict.Accepted : SignInCodeVerdict.Wrong;
    }

    /// <summary>Null when another code may be sent to a number that was sent <paramref name="sentInWindow"/> codes in the window, else why not.</summary>
    public static string? CheckSend(int sentInWindow, int maxPerWindow, int windowMinutes) =>
        sentInWindow >= maxPerWindow
            ? $"{maxPerWindow} codes were sent to this number in the last {windowMinutes} minutes; wait before asking for another."
            : null;

    public static string Message(SignInCodeVerdict verdict) => verdict switch
    {
        SignInCodeVerdict.Wrong => "The code is wrong; check the message and try again.",
        SignInCodeVerdict.Expired => "The code has expired; ask for a new one.",
        SignInCodeVerdict.Used => "The code was already used; ask for a new one.",
        SignInCodeVerdict.TooManyTries => "Too many wrong codes; ask for a new one.",
        _ => "",
    };
}
