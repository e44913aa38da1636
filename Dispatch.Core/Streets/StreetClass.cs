namespace Dispatch.Core.Streets;

/// <summary>How a street is drawn: the tile attribute "class", from OpenStreetMap highway=*.</summary>
public enum StreetClass
{
    /// <summary>Motorways to secondary roads: drawn from the lowest zoom served.</summary>
    Major,

    /// <summary>Tertiary, residential, service and unclassified roads.</summary>
    Minor,

    /// <summary>Footways, steps, paths, pedestrian streets, cycleways, tracks: only close up.</summary>
    Path,
}
