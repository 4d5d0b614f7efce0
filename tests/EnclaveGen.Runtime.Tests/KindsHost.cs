using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The host side of <see cref="Kinds"/>'s OCALLs.</summary>
internal sealed class KindsHost : Kinds.IUntrusted
{
    public Kinds.Proxy? Proxy { get; set; }

    public CancellationTokenSource? CancelAfterTicks { get; set; }

    public int CancelAtTick { get; set; } = int.MaxValue;

    public int Ticks { get; private set; }

    public int NeedMore(int amount) => Proxy!.Refill(amount);

    public Person HostPerson(Person person) => person with { Name = person.Name + "-host", Age = person.Age + 1 };

    public Dictionary<string, int> HostCount(List<string> words) => words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());

    public (int, string) HostPair((int, string) pair) => (pair.Item1 + 1, pair.Item2 + "!");

    public void HostFill(byte[] buffer) => buffer.AsSpan().Fill(0xAB);

    public Node HostChain(int length) => Node.Chain(length);

    public async Task<int> HostAddAsync(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    public int HostAdd(int a, int b) => a + b;

    public void HostTick()
    {
        if (++Ticks == CancelAtTick)
        {
            CancelAfterTicks?.Cancel();
        }
    }

    public async Task HostTickAsync()
    {
        await Task.Delay(1);
        HostTick();
    }
}
