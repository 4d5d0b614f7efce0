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

        // The benchmark child build compiles the generator and the enclave; on a busy 2-core
        // machine that can take longer than BenchmarkDotNet's default two minutes.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
