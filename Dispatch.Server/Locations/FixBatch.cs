using Dispatch.Core.Locations;
using Dispatch.Server.Fleet;

namespace Dispatch.Server.Locations;

/// <summary>Fixes of one courier that passed validation, waiting for the next flush.</summary>
internal sealed record FixBatch(OnlineCourier Session, AcceptedFix[] Fixes, float[] Accuracy, float[] Speed, float[] Heading);
