using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace EnclaveGen.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["idle-cpu", ..])
        {
            Boundary.IdleCpu.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10).GetAwaiter().GetResult();
            return;
        }

        if (args is ["ecall-loop", string kind, string count])
        {
            Boundary.EcallLoop.RunAsync(kind, long.Parse(count)).GetAwaiter().GetResult();
            return;
        }

        if (args is ["ecall-ab", string abKind, string abBlocks, string abCalls, string benchmarksA, .. string[] rest] && rest.Length <= 1)
        {
            Boundary.EcallAb.Run(abKind, int.Parse(abBlocks), int.Parse(abCalls), benchmarksA, rest.Length == 1 ? rest[0] : typeof(Program).Assembly.Location);
            return;
        }

        if (args is ["large-buffer-loop", string bufferKind, string calls, string size])
        {
            Marshalling.LargeBufferLoop.RunAsync(bufferKind, long.Parse(calls), int.Parse(size)).GetAwaiter().GetResult();
            return;
        }

        if (args is ["large-buffer-compare", string compareSize, string blocks, string callsPerBlock, .. string[] compareKinds] && compareKinds.Length > 0)
        {
            Marshalling.LargeBufferLoop.CompareAsync(int.Parse(compareSize), int.Parse(blocks), int.Parse(callsPerBlock), compareKinds).GetAwaiter().GetResult();
            return;
        }

        if (args is ["aead-first-calls", string firstSize, string firstCalls])
        {
            Crypto.AeadFirstCalls.Run(int.Parse(firstSize), int.Parse(firstCalls));
            return;
        }

        if (args is ["protected-file-memory", ..])
        {
            ProtectedFiles.ProtectedFileMemory.RunAsync(
                args.Length > 1 ? long.Parse(args[1]) : 1024,
                args.Length > 2 ? int.Parse(args[2]) : 1,
                args.Length > 3 ? args[3] : null).GetAwaiter().GetResult();
            return;
        }

        if (args is ["protected-file-cpu", ..])
        {
            ProtectedFiles.ProtectedFileCpu.RunAsync(
                args.Length > 1 ? int.Parse(args[1]) : 9,
                args.Length > 2 && args[2] != "-" ? args[2] : null,
                args.Length > 3 ? int.Parse(args[3]) : 1,
                args.Length > 4 ? args[4] : null).GetAwaiter().GetResult();
            return;
        }

        // The benchmark child build compiles the generator and the enclave; on a busy 2-core
        // machine that can take longer than BenchmarkDotNet's default two minutes.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
