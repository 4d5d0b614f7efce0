using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// Two builds of this project (say the commit before a change and after it) in one process, each
/// in a load context of its own with its own runtime, running the same ECALL in alternating blocks,
/// so that both see the same machine. On a shared machine a BenchmarkDotNet run of one build and
/// then of the other compares two different minutes; here every block of one build has a block of
/// the other beside it, and the ratio is taken pair by pair. Prints the median time per call of
/// each build (CPU and wall clock) and the median and quartiles of the paired ratios (B over A).
/// </summary>
internal static class EcallAb
{
    public static void Run(string kind, int blocks, int callsPerBlock, string benchmarksA, string benchmarksB)
    {
        Func<int> a = CreateCall(benchmarksA, "A", kind);
        Func<int> b = CreateCall(benchmarksB, "B", kind);
        long sum = Warmup.UntilJitSettles(
            () =>
            {
                long round = 0;
                for (int i = 0; i < 1_000; i++)
                {
                    round += a() + b();
                }

                return round;
            },
            minimumRounds: 200);

        var cpu = new double[2][] { new double[blocks], new double[blocks] };
        var wall = new double[2][] { new double[blocks], new double[blocks] };
        Func<int>[] calls = [a, b];
        for (int block = 0; block < blocks; block++)
        {
            // A then B in even blocks, B then A in odd ones: neither always runs second.
            for (int turn = 0; turn < 2; turn++)
            {
                int side = (block + turn) % 2;
                Func<int> call = calls[side];
                TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
                long wallStart = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerBlock; i++)
                {
                    sum += call();
                }

                wall[side][block] = Stopwatch.GetElapsedTime(wallStart).TotalNanoseconds / callsPerBlock;
                cpu[side][block] = (Environment.CpuUsage.TotalTime - cpuStart).TotalNanoseconds / callsPerBlock;
            }
        }

        Console.WriteLine($"{kind}: {blocks} blocks of {callsPerBlock} calls per build, alternating");
        Console.WriteLine($"  A {benchmarksA}: wall {Median(wall[0]),8:F1} ns/call, CPU {Median(cpu[0]),8:F1} ns/call");
        Console.WriteLine($"  B {benchmarksB}: wall {Median(wall[1]),8:F1} ns/call, CPU {Median(cpu[1]),8:F1} ns/call");
        double[] wallRatios = [.. Enumerable.Range(0, blocks).Select(i => wall[1][i] / wall[0][i])];
        double[] cpuRatios = [.. Enumerable.Range(0, blocks).Select(i => cpu[1][i] / cpu[0][i])];
        Console.WriteLine($"  B/A per block pair, wall: median {Median(wallRatios):F3} (quartiles {Quantile(wallRatios, 0.25):F3} to {Quantile(wallRatios, 0.75):F3})");
        Console.WriteLine($"  B/A per block pair, CPU:  median {Median(cpuRatios):F3} (quartiles {Quantile(cpuRatios, 0.25):F3} to {Quantile(cpuRatios, 0.75):F3})");
        Console.WriteLine($"  (checksum {sum})");
    }

    // The build's EcallLoop.CreateCall(kind), loaded with every assembly its deps.json names from its own folder.
    private static Func<int> CreateCall(string benchmarksDll, string name, string kind)
    {
        string path = Path.GetFullPath(benchmarksDll);
        var context = new BuildLoadContext(path, name);
        Assembly assembly = context.LoadFromAssemblyPath(path);
        MethodInfo create = assembly.GetType("EnclaveGen.Benchmarks.Boundary.EcallLoop", throwOnError: true)!
            .GetMethod("CreateCall", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{path} has no EcallLoop.CreateCall(string): build a version of the benchmarks that has it.");
        return (Func<int>)create.Invoke(null, [kind])!;
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private sealed class BuildLoadContext(string mainAssembly, string name) : AssemblyLoadContext(name)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
