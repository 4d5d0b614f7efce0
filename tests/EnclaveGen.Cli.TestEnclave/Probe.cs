using System.Runtime.InteropServices;
using EnclaveGen;

namespace EnclaveGen.Cli.TestEnclave;

/// <summary>One crossing of each kind: secrets in and out, out/ref/[Out] values, user_check, a private ECALL and the OCALL that allows it, async crossings and a CancellationToken.</summary>
[Enclave]
public partial class Probe
{
    private int _generation;

    [Trusted]
    public int Store(string name, [Secret] byte[] key) => name.Length;

    [Trusted]
    [return: Secret]
    public string Reveal(string name) => name;

    [Trusted]
    public int Fill([Out] byte[] buffer, ref int counter, out long total)
    {
        counter++;
        total = buffer.Length;
        return 0;
    }

#pragma warning disable EG2004 // Deliberate: the manifest must show user_check.
    [Trusted]
    public int Count([UnsafeUserCheck] int[] values) => values.Length;
#pragma warning restore EG2004

    [Trusted]
    public void Rotate(int generation) => Announce(generation);

    [Trusted]
    private void Refresh(int generation) => _generation = generation;

    [Untrusted(Allow = [nameof(Refresh)])]
    private static partial void Announce(int generation);

    [Trusted]
    public async Task<int> LengthAsync(string url, CancellationToken cancellationToken = default) => (await FetchAsync(url)).Length;

    [Untrusted]
    private static partial Task<string> FetchAsync(string url);
}
