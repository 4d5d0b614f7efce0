using System.Diagnostics;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// A host killed before its enclave process mapped the shared region leaves the region's file in
/// /dev/shm; the next host removes it, and nothing that belongs to a running process or is not a
/// region file.
/// </summary>
public sealed class AbandonedRegionTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("eg-regions-");

    [Fact]
    public void OnlyTheRegionFilesOfProcessesThatEndedAreRemoved()
    {
        int ended = EndedProcessId();
        string abandoned = Touch($"enclavegen-{ended}-{new string('a', 24)}");
        string ours = Touch($"enclavegen-{Environment.ProcessId}-{new string('b', 24)}");
        string otherShape = Touch($"enclavegen-{ended}-short");
        string otherName = Touch($"other-{ended}-{new string('c', 24)}");
        Directory.CreateDirectory(Path.Combine(_folder.FullName, $"enclavegen-{ended}-{new string('d', 24)}"));

        Assert.Equal(1, SharedRegion.RemoveAbandoned(_folder.FullName));

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(ours));
        Assert.True(File.Exists(otherShape));
        Assert.True(File.Exists(otherName));
        Assert.True(Directory.Exists(Path.Combine(_folder.FullName, $"enclavegen-{ended}-{new string('d', 24)}")));
    }

    [Fact]
    public void AFolderThatDoesNotExistRemovesNothing() =>
        Assert.Equal(0, SharedRegion.RemoveAbandoned(Path.Combine(_folder.FullName, "missing")));

    public void Dispose() => _folder.Delete(recursive: true);

    private string Touch(string name)
    {
        string path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, []);
        return path;
    }

    // A process that ran and ended: its id names no running process (a new process could take the id, but not within this test's moment).
    private static int EndedProcessId()
    {
        using Process process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
