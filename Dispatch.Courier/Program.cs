using Dispatch.Courier.Cli;

return await CliApp.RunAsync(args);
