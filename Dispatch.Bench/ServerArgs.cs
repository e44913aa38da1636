namespace Dispatch.Bench;

/// <summary>
/// Arguments for <c>ServerComposition.Build</c> from a bench verb: Development, and Dispatch.Server's folder as the content
/// root so its appsettings.json (zones, defaults) is read as when the server runs from its own project.
/// </summary>
internal static class ServerArgs
{
    public static string[] Development(params string[] more)
    {
        string[] args = ["--environment", "Development", .. more];
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return [.. args, "--contentRoot", Path.Combine(dir.FullName, "Dispatch.Server")];
        }
        return args;
    }
}
