namespace Dispatch.Core.Alerts;

public enum AlertSeverity
{
    Warning = 0,
    Critical = 1,
}
