using System.Diagnostics;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Crypto;

/// <summary>
/// The first calls of a fresh process: the wall-clock time of each of the first
/// <c>calls</c> seal-and-open round trips of <c>size</c> bytes with the
/// boundary AEAD, one line. A process that crosses a few large buffers (loads a model, seals it
/// once) runs them before tiered compilation has optimized anything, so this is the time it sees,
/// not a benchmark's steady state. The first call includes compiling the AEAD's methods.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- aead-first-calls 1048576 40</c>
/// </summary>
internal static class AeadFirstCalls
{
    public static void Run(int size, int calls)
    {
        byte[] plaintext = new byte[size];
        byte[] ciphertext = new byte[size];
        byte[] opened = new byte[size];
        byte[] nonce = new byte[12];
        byte[] tag = new byte[16];
        byte[] associated = new byte[16];
        Random.Shared.NextBytes(plaintext);
        using IBoundaryAead aead = BoundaryAead.Create(new byte[32]);
        var line = new System.Text.StringBuilder();
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            aead.Seal(nonce, plaintext, ciphertext, tag, associated);
            if (!aead.Open(nonce, ciphertext, tag, opened, associated))
            {
                throw new InvalidOperationException("The AEAD refused its own message.");
            }

            line.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(start).TotalMicroseconds:F0} ");
        }

        Console.WriteLine($"seal + open of {size} B, first {calls} calls, us each: {line}");
    }
}
