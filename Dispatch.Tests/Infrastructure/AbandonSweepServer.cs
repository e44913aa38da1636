namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server whose recovery sweep runs every second and takes back an order whose courier's last fix is 38 s old before
/// pickup: test couriers stamp their fixes about 30 s in the past (<see cref="TestCourier"/>), so that is ~8 s of silence.
/// </summary>
public sealed class AbandonSweepServer : DispatchServer
{
    public const int SilentSeconds = 38;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:RecoverySweepSeconds"] = "1";
        settings["Dispatch:AbandonedAfterSeconds"] = SilentSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
