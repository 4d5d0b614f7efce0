using WorkerService.App;

// `dotnet run --project samples/WorkerService -- --Enclaves:Tally:Mode=Isolated` runs the enclave
// in a process of its own; any setting of appsettings.json can be given this way.
return await WorkerApp.RunAsync(Console.Out, args);
