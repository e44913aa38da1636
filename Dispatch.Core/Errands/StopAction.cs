namespace Dispatch.Core.Errands;

/// <summary>What the courier does at an intermediate stop of a multi-stop errand. Numeric values are stored; never renumber.</summary>
public enum StopAction
{
    /// <summary>Collect something more (the keys, the dry cleaning).</summary>
    Pickup = 0,

    /// <summary>Leave part of the goods (one bag here, the rest at the final drop-off).</summary>
    Dropoff = 1,
}
