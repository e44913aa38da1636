using Dispatch.Core.Tracking;

namespace Dispatch.Tests.Core;

public sealed class EtaPaddingTests
{
    // 100 past deliveries, late by 1..100 s (actual minus predicted), in no particular order.
    private static readonly double[] Errors = [.. Enumerable.Range(1, 100).Select(i => (double)i).OrderBy(i => (i * 37) % 101)];

    [Fact]
    public void Lateness_weight_picks_the_quantile_of_past_errors()
    {
        Assert.Equal(75, EtaPadding.PadSeconds(Errors, latenessWeight: 3, minSamples: 20, maxPadSeconds: 900));  // 75th percentile
        Assert.Equal(90, EtaPadding.PadSeconds(Errors, latenessWeight: 9, minSamples: 20, maxPadSeconds: 900));  // 90th
        Assert.Equal(50, EtaPadding.PadSeconds(Errors, latenessWeight: 1, minSamples: 20, maxPadSeconds: 900));  // the median
    }

    [Fact]
    public void A_padded_promise_is_late_about_as_often_as_the_weight_says()
    {
        var random = new Random(7);
        var past = Enumerable.Range(0, 2_000).Select(_ => 120 + 90 * Normal(random)).ToArray();
        var future = Enumerable.Range(0, 2_000).Select(_ => 120 + 90 * Normal(random)).ToArray();
        var pad = EtaPadding.PadSeconds(past, latenessWeight: 3, minSamples: 20, maxPadSeconds: 900);
        var lateShare = future.Count(e => e > pad) / (double)future.Length;
        Assert.InRange(lateShare, 0.21, 0.29);                          // about one in four
        Assert.True(future.Count(e => e > 0) / (double)future.Length > 0.85); // unpadded: nearly always late
    }

    [Fact]
    public void Too_few_samples_no_pad_never_negative_and_capped()
    {
        Assert.Equal(0, EtaPadding.PadSeconds([300, 400], 3, minSamples: 20, maxPadSeconds: 900));
        Assert.Equal(0, EtaPadding.PadSeconds([.. Enumerable.Repeat(-200.0, 50)], 3, 20, 900)); // always early: no tighter promise
        Assert.Equal(900, EtaPadding.PadSeconds([.. Enumerable.Repeat(5_000.0, 50), double.NaN], 3, 20, 900));
        Assert.Throws<ArgumentOutOfRangeException>(() => EtaPadding.PadSeconds(Errors, 0, 20, 900));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
