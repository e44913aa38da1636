using Dispatch.Bench;

return args switch
{
    ["outbox", .. var rest] => await OutboxBenchmark.RunAsync(rest),
    ["tiles", .. var rest] => await TilesBenchmark.RunAsync(rest),
    ["connections", .. var rest] => await Dispatch.Bench.Scale.ConnectionsBenchmark.RunAsync(rest),
    ["fanout", .. var rest] => await Dispatch.Bench.Scale.FanOutBenchmark.RunAsync(rest),
    ["ingest", .. var rest] => await Dispatch.Bench.Scale.IngestionBenchmark.RunAsync(rest),
    ["bare-ws", .. var rest] => await Dispatch.Bench.Scale.BareWebSocketServer.RunAsync(rest),
    ["reports", .. var rest] => await ReportsBenchmark.RunAsync(rest),
    ["batch", .. var rest] => await Dispatch.Bench.Batch.BatchTickBenchmark.RunAsync(rest),
    ["routing", .. var rest] => await Dispatch.Bench.Routing.RoutingBenchmark.RunAsync(rest),
    ["auth", .. var rest] => await Dispatch.Bench.Auth.AuthBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project Dispatch.Bench -c Release -- outbox [--events N] [--per-transaction N] [--writers N] [--rate N] [--seconds N] [--relay-batch N] [--relay-workers N] [--webhook-parallelism N] [--webhook-batch N] [--warm-up N]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- tiles [--zone monaco] [--min-zoom 14] [--max-zoom 18]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- connections --hub URL --pid PID --metrics URL [--connections 19000] [--sources 4] [--parallel 64] [--warmup 500] [--role courier] [--label L]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- fanout [--customers 2000] [--boards 20] [--board-couriers 50] [--seconds 10] [--senders 4] [--runs 2]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- ingest --server URL --nodes URL[,URL] --redis HOST:PORT [--couriers 5000] [--seconds 20] [--batch 10] [--connect-rate 250] [--label L]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- bare-ws [--urls http://127.0.0.1:5192]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- reports [--zones 20] [--days 366] [--runs 20]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- batch [orders 1000] [couriers 5000] [rounds 100] [connected 500]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- routing [zone monaco] [vehicle scooter]");
    Console.Error.WriteLine("       dotnet run --project Dispatch.Bench -c Release -- auth [iterations 200000]");
    return 2;
}
