using HelloEnclave.Host;

await HelloApp.RunAsync(Console.Out);
