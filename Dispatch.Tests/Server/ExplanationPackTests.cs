using System.Text.Json;
using Dispatch.Core.Matching;
using Dispatch.Server.Dispatching;

namespace Dispatch.Tests.Server;

/// <summary>A stored explanation packed by hand: every field survives, fractions and missing values included.</summary>
public sealed class ExplanationPackTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 41, 5, TimeSpan.Zero);

    private static readonly CompactExplanation Full = new("batch: one matching of 3 waiting order(s)", 1500.5,
        [new RankedCandidate(Guid.NewGuid(), 812, 201.5, 120, 30, 45, 0.25, -12, At, At.AddMinutes(9), At.AddMinutes(14), 2)],
        [new RunnerUp(Guid.NewGuid(), 420.75, 1300, 250, "pickup", 48.5, At.AddMinutes(3)), new RunnerUp(Guid.NewGuid(), -0.0, 0, 0)],
        7, [new Exclusion(Guid.NewGuid(), "offline"), new Exclusion(Guid.NewGuid(), "")], 3);

    [Fact]
    public void Every_field_round_trips()
    {
        var stored = StoredExplanation.Write(new DispatchExplanation(Full.Rule, Full.RadiusMetres, [], [], []), "");
        Assert.Equal(StoredExplanation.Packed, stored[0]);
        var packed = ExplanationPack.Write(Full, StoredExplanation.Packed);
        var read = StoredExplanation.Read(packed, "");
        Assert.Equal(Json(Full), Json(read));
        Assert.Equal(At.AddMinutes(14), read.Offered[0].FreeAt);
        Assert.Null(read.RunnersUp[1].FreeAt);
        Assert.Null(read.RunnersUp[1].LostOn);
    }

    [Fact]
    public void An_empty_explanation_round_trips_and_a_wrong_shape_is_refused()
    {
        var empty = new CompactExplanation("", 0, [], [], 0, [], 0);
        Assert.Equal(Json(empty), Json(StoredExplanation.Read(ExplanationPack.Write(empty, StoredExplanation.Packed), "")));
        var truncated = ExplanationPack.Write(Full, StoredExplanation.Packed)[..40];
        Assert.ThrowsAny<Exception>(() => StoredExplanation.Read(truncated, ""));
    }

    private static string Json(CompactExplanation e) => JsonSerializer.Serialize(e, ExplanationJsonContext.Default.CompactExplanation);
}
