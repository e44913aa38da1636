using Dispatch.Core.Couriers;
using Dispatch.Server.Fleet;
using MessagePack;
using MessagePack.Resolvers;

namespace Dispatch.Tests.Server;

/// <summary>The courier state kept in Redis: every field survives, and states written in the older map form still read.</summary>
public sealed class SnapshotCodecTests
{
    private static readonly CourierSnapshot Full = new(Guid.Parse("0191a2b3-c4d5-7e6f-8091-a2b3c4d5e6f7"), "monaco", 43.7384123456789, 7.4246987654321,
        new DateTimeOffset(2026, 11, 27, 15, 4, 5, 678, TimeSpan.Zero).AddTicks(9), Equipment.ActiveCooler, Vehicle.EBike, 3, 2, CourierActivity.Carrying,
        new DateTimeOffset(2026, 11, 27, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.FromHours(1)));

    [Fact]
    public void Every_field_round_trips()
    {
        Assert.Equal(Full, SnapshotCodec.Decode(SnapshotCodec.Encode(Full)));
        var bare = Full with { ShiftEndsAt = null, OnlineSince = null, Zone = "" };
        Assert.Equal(bare, SnapshotCodec.Decode(SnapshotCodec.Encode(bare)));
    }

    [Fact]
    public void A_state_written_in_the_older_map_form_still_reads()
    {
        var legacy = MessagePackSerializer.Serialize(Full, ContractlessStandardResolver.Options);
        Assert.Equal(Full, SnapshotCodec.Decode(legacy));
    }

    [Fact]
    public void Missing_and_malformed_states_are_told_apart()
    {
        Assert.Null(SnapshotCodec.Decode(null));
        Assert.Null(SnapshotCodec.Decode([]));
        var truncated = SnapshotCodec.Encode(Full)[..20];
        Assert.ThrowsAny<Exception>(() => SnapshotCodec.Decode(truncated));
        Assert.Throws<MessagePackSerializationException>(() => SnapshotCodec.Decode(MessagePackSerializer.Serialize(new object[] { 1, 2 })));
    }

    [Fact]
    public void Couriers_of_one_zone_share_its_name_and_each_zone_keeps_its_own()
    {
        // A batch round decodes a zone's thousands of couriers in a row: one string for the zone's name, not one each.
        var first = SnapshotCodec.Decode(SnapshotCodec.Encode(Full))!;
        var second = SnapshotCodec.Decode(SnapshotCodec.Encode(Full with { CourierId = Guid.NewGuid() }))!;
        var elsewhere = SnapshotCodec.Decode(SnapshotCodec.Encode(Full with { Zone = "nice" }))!;
        var back = SnapshotCodec.Decode(SnapshotCodec.Encode(Full))!;

        Assert.Same(first.Zone, second.Zone);
        Assert.Equal("nice", elsewhere.Zone);
        Assert.Equal("monaco", back.Zone);
        Assert.Equal(Full, back);
    }
}
