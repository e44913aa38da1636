namespace Dispatch.Server.Streets;

/// <summary>Wires the street vector tiles.</summary>
internal static class StreetsComposition
{
    public static IServiceCollection AddStreets(this IServiceCollection services) => services.AddSingleton<StreetTiles>();
}
