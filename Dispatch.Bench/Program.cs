using Dispatch.Bench;

return args switch
{
    ["outbox", .. var rest] => await OutboxBenchmark.RunAsync(rest),
    ["tiles", .. var rest] => await TilesBenchmark.RunAsync(rest),
    ["connections", .. var rest] => await Dispatch.Bench.Scale.ConnectionsBenchmark.RunAsync(rest),
    ["bare-ws", .. var rest] => await Dispatch.Bench.Scale.BareWebSocketServer.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project Dispatch.Bench -c Release -- outbox [--events N] [--per-transaction N] [--writers N] [--rate N] [--seconds N] [--relay-batch N] [--relay-workers N] [--webhook-parallelism N] [--webhook-batch N]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- tiles [--zone monaco] [--min-zoom 14] [--max-zoom 18]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- connections --hub URL --pid PID --metrics URL [--connections 19000] [--sources 4] [--parallel 64] [--warmup 500] [--role courier] [--label L]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- bare-ws [--urls http://127.0.0.1:5192]");
    return 2;
}
