using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The host side of <see cref="Zoo"/>'s OCALLs, with knobs for the tests.</summary>
internal sealed class ZooHost : Zoo.IUntrusted
{
    public Zoo.Proxy? Proxy { get; set; }

    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    public CountdownEvent? Arrived { get; set; }

    public string HostEcho(string text) => text;

    public int HostAdd(int a, int b) => a + b;

    public byte[] HostReverse(byte[] data)
    {
        Array.Reverse(data);
        return data;
    }

    public void HostFill(out int number, out string note)
    {
        number = 42;
        note = "filled by host";
    }

    public void HostIncrement(ref int counter) => counter++;

    public void HostThrow(string message) => throw new ArgumentException(message);

    public int HostNest(int depth) => Proxy!.Nest(depth);

    public void HostWait()
    {
        Arrived?.Signal();
        if (!Gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never opened the gate.");
        }
    }
}
