using Microsoft.Extensions.Options;

namespace Dispatch.Server.Archive;

/// <summary>The creation time before which finished orders may be in the archive: now − <see cref="ArchiveOptions.OrderAgeDays"/>.</summary>
internal sealed class ArchiveHorizon(IOptions<ArchiveOptions> options, TimeProvider clock)
{
    public DateTimeOffset Now() => clock.GetUtcNow().AddDays(-options.Value.OrderAgeDays);
}
