namespace Dispatch.Courier.Cli;

internal static class CliApp
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length);
}
