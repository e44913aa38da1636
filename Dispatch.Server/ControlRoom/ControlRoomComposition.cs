namespace Dispatch.Server.ControlRoom;

/// <summary>Wires the control room: its options (validated at start), board frames, commands, reassignment and the board loop.</summary>
internal static class ControlRoomComposition
{
    public static IServiceCollection AddControlRoom(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ControlRoomOptions>().Bind(config.GetSection(ControlRoomOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BoardFrames>();
        services.AddSingleton<LocalBoards>();
        services.AddSingleton<Fleet.ICourierChangeListener, BoardOnCourierChanges>();
        services.AddSingleton<ControlRoomCoordinator>();
        services.AddSingleton<ReassignCoordinator>();
        services.AddHostedService<ControlRoomService>();
        return services;
    }
}
