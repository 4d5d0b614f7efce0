using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>One ECALL under fuzzing: its ID, its seed payloads, and what its trusted body may do.</summary>
internal sealed class FuzzMethod(string name, uint id, bool isAsync, List<byte[]> seeds)
{
    public string Name { get; } = name;

    public uint Id { get; } = id;

    public bool IsAsync { get; } = isAsync;

    public List<byte[]> Seeds { get; } = seeds;

    /// <summary>The trusted body may throw (overflow, an OCALL without a running ECALL, by design): allowed once decoding completed.</summary>
    public bool TrustedMayThrow { get; init; }

    /// <summary>An echo whose results are encoded exactly as its arguments: an accepted message must come back byte for byte.</summary>
    public bool EchoesPayload { get; init; }

    /// <summary>
    /// For an [Out] buffer sent as its leading 32-bit length: the element size. The callee's buffer
    /// is sized by that length (bounded by the message limit, not by the request), so the
    /// allocation bound counts it as part of the exchange.
    /// </summary>
    public int OutElementBytes { get; init; }

    public int Accepted { get; set; }

    public int Rejected { get; set; }

    public int TrustedThrew { get; set; }

    public double WorstRatio { get; set; }

    public long WorstAllocation { get; set; }
}

/// <summary>An enclave's dispatcher and the methods to fuzz on it.</summary>
internal sealed class FuzzTarget
{
    public FuzzTarget(EnclaveDescriptor descriptor, Dictionary<string, List<byte[]>> seeds, ISet<string> excluded, ISet<string> trustedMayThrow, ISet<string> notEchoingPayload, IReadOnlyDictionary<string, int> outElementBytes)
    {
        Descriptor = descriptor;
        Dispatcher = descriptor.CreateDispatcher();
        foreach (BoundaryMethod method in descriptor.TrustedMethods)
        {
            if (excluded.Contains(method.Name))
            {
                continue;
            }

            Assert.True(seeds.TryGetValue(method.Name, out List<byte[]>? methodSeeds), $"no seed payload was captured for {method.Name}");
            Methods.Add(new FuzzMethod(method.Name, method.Id, method.IsAsync, methodSeeds)
            {
                TrustedMayThrow = trustedMayThrow.Contains(method.Name),
                EchoesPayload = method.Name.StartsWith("Echo", StringComparison.Ordinal) && !notEchoingPayload.Contains(method.Name),
                OutElementBytes = outElementBytes.GetValueOrDefault(method.Name),
            });
        }
    }

    public EnclaveDescriptor Descriptor { get; }

    public ITrustedDispatcher Dispatcher { get; }

    public List<FuzzMethod> Methods { get; } = [];

    public FuzzMethod this[string name] => Methods.Single(m => m.Name == name);
}
