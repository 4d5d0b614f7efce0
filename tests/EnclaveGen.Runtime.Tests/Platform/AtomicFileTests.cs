using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Tests.Platform;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("egatomic").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WritingReplacesTheContentAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "data.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.WriteAllBytes(path, [4, 5]);
        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void TryCreateCreatesOnceAndNeverOverwrites()
    {
        string path = Path.Combine(_folder, "once.bin");
        Assert.True(AtomicFile.TryCreate(path, [1]));
        Assert.False(AtomicFile.TryCreate(path, [2]));
        Assert.Equal([1], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void CreatorsRacingForOneFileHaveExactlyOneWinnerWhoseContentStays()
    {
        // File.Move without overwrite checks, then renames: a racer between the two was overwritten.
        for (int round = 0; round < 40; round++)
        {
            string path = Path.Combine(_folder, $"race-{round}.bin");
            bool[] won = new bool[8];
            using Barrier start = new(won.Length);
            Thread[] racers = Enumerable.Range(0, won.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                won[i] = AtomicFile.TryCreate(path, [(byte)i]);
            })).ToArray();
            Array.ForEach(racers, racer => racer.Start());
            Array.ForEach(racers, racer => racer.Join());

            int winner = Assert.Single(Enumerable.Range(0, won.Length), i => won[i]);
            Assert.Equal([(byte)winner], File.ReadAllBytes(path));
        }

        Assert.Equal(40, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public void AWriteIntoAMissingFolderFailsWithoutLeavingAnything()
    {
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(Path.Combine(_folder, "missing", "x.bin"), [1]));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }
}
