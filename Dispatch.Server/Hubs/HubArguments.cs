using Dispatch.Core.Validation;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Hubs;

/// <summary>Checks of hub arguments before any work, refused as a HubException naming the method and the argument.</summary>
internal static class HubArguments
{
    /// <summary>Tracking tokens are about 100 characters; anything far longer is not one.</summary>
    public const int MaxTokenLength = 1_000;

    public static void Text(string method, string argument, string? value, int maxLength, bool multiLine = false)
    {
        if (TextRules.Check(argument, value, maxLength, multiLine) is { } problem) throw new HubException($"{method}: {problem}");
    }
}
