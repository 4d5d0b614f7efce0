namespace EnclaveGen.Isolation.Tests;

/// <summary>When the host process dies, its enclave process does not outlive it.</summary>
[Collection(nameof(ProcessTests))]
public sealed class HostDeathTests
{
    [Fact]
    public void EnclaveProcessExitsWhenItsHostIsKilled()
    {
        using Probe host = Probe.Start(["hold"]);
        int child = int.Parse(host["CHILD_PID"]);
        Assert.True(IsRunning(child), "the enclave process should run while its host does");

        host.Kill();

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsRunning(child) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.False(IsRunning(child), $"enclave process {child} still runs 30 seconds after its host was killed");
    }

    // Gone, or a zombie nobody reaped yet (it has exited either way).
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
