using EnclaveGen;

namespace EnclaveGen.Hosting.Tests.Enclaves;

/// <summary>An enclave without OCALLs: it needs nothing from the host.</summary>
[Enclave]
public partial class Dice
{
    [Trusted]
    public int Roll(int seed) => (int)((uint)(seed * 1103515245 + 12345) % 6) + 1;
}
