namespace Dispatch.Courier.Cli;

/// <summary>A command cannot go on for a reason the user can fix; the message says how. Exit code 1.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
