namespace Dispatch.Server.Common;

/// <summary>
/// At most <paramref name="perSecond"/> steps a second, in slices of a tenth of a second: the step past a slice's share
/// waits for the next slice. For bursts a node starts itself (a refresh of every page after an outage), not for requests.
/// </summary>
internal sealed class Pacing(int perSecond, TimeProvider clock)
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);
    private readonly int _perSlice = Math.Max(1, perSecond / 10);
    private int _inSlice;

    public async ValueTask NextAsync(CancellationToken ct)
    {
        if (_inSlice++ < _perSlice) return;
        _inSlice = 1;
        await Task.Delay(Slice, clock, ct);
    }
}
