using Dispatch.Core.Streets;

namespace Dispatch.Tests.Core;

public sealed class StreetTileRulesTests
{
    [Theory]
    [InlineData("primary", StreetClass.Major)]
    [InlineData("secondary_link", StreetClass.Major)]
    [InlineData("residential", StreetClass.Minor)]
    [InlineData("unknown_value", StreetClass.Minor)]
    [InlineData(null, StreetClass.Minor)]
    [InlineData("steps", StreetClass.Path)]
    [InlineData("footway", StreetClass.Path)]
    public void Highways_are_classed_for_drawing(string? highway, StreetClass expected) => Assert.Equal(expected, StreetTileRules.Classify(highway));

    [Theory]
    [InlineData(11, 0)]
    [InlineData(12, 1)]
    [InlineData(14, 2)]
    [InlineData(16, 3)]
    public void Closer_zooms_draw_more_classes(int zoom, int classes) => Assert.Equal(classes, StreetTileRules.ClassesAt(zoom).Count);

    [Theory]
    [InlineData(21, 0, 0, "z")]
    [InlineData(-1, 0, 0, "z")]
    [InlineData(3, 8, 0, "x")]
    [InlineData(3, 0, -1, "y")]
    public void Addresses_off_the_map_name_the_coordinate(int z, int x, int y, string field) => Assert.Equal(field, StreetTileRules.Refusal(z, x, y)?.Field);

    [Fact]
    public void A_tile_covers_a_zone_only_when_their_boxes_overlap()
    {
        // z16 tile 34119/23896 holds the Casino (43.7396, 7.4276); Monaco's box is 7.405..7.44 × 43.722..43.752.
        Assert.True(StreetTileRules.Covers(new StreetTile(16, 34119, 23896), 7.405, 43.722, 7.44, 43.752));
        Assert.False(StreetTileRules.Covers(new StreetTile(16, 33195, 22545), 7.405, 43.722, 7.44, 43.752)); // Paris
        Assert.False(StreetTileRules.Covers(new StreetTile(11, 1066, 746), 7.405, 43.722, 7.44, 43.752)); // too far out
        Assert.Null(StreetTileRules.Refusal(16, 34119, 23896));
    }
}
