using Dispatch.Server;

var app = ServerComposition.Build(args);
await app.RunAsync();

/// <summary>Entry point; public so tests can name the assembly.</summary>
public partial class Program;
