namespace Dispatch.Tests.Infrastructure;

/// <summary>The system clock moved <c>ahead</c>: lets a test settle today, as the daily job would tomorrow.</summary>
public sealed class LaterClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
}
