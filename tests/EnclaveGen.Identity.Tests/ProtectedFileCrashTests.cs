using System.Diagnostics;
using System.Globalization;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// Kills (SIGKILL) a child process that commits version after version of a protected file, at
/// moments aimed at a commit in progress, then opens the file: it always holds exactly one
/// version's content, at least the last version the child reported committed, and a file bound
/// to a monotonic counter is never refused as rolled back because of the kill.
/// </summary>
public sealed class ProtectedFileCrashTests : IDisposable
{
    private const int Rounds = 5;
    private const int MaxRounds = 30;
    private readonly string _root = Directory.CreateTempSubdirectory("egpfcrash").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void KillingTheWriterAtAnyMomentLeavesTheLastOrTheNextCommittedVersion()
    {
        int interrupted = 0;
        int round = 0;
        for (; round < Rounds || (interrupted == 0 && round < MaxRounds); round++)
        {
            bool bound = round % 2 == 1;
            // Each round has its own platform: a file's counter outlives the file, so a fresh folder under
            // an old platform would rightly be refused as rolled back (the file is "missing").
            string folder = Path.Combine(_root, $"round-{round}");
            string home = Path.Combine(_root, $"home-{round}");
            Directory.CreateDirectory(folder);

            // Two runs per round: the second resumes the file the first left, so recovery and a counter-bound reopen are killed too.
            long acknowledged = 0;
            for (int run = 0; run < 2; run++)
            {
                (long seen, bool midCommit) = RunAndKill(folder, home, bound, target: acknowledged + 2 + (round % 3));
                acknowledged = Math.Max(acknowledged, seen);
                interrupted += midCommit ? 1 : 0;

                long version = CheckFile(folder, home, round);
                Assert.True(version >= acknowledged, $"round {round}: the file holds version {version}, older than version {acknowledged}, which the writer reported committed.");
                acknowledged = version;
            }
        }

        Assert.True(interrupted > 0, $"In {round} rounds no kill landed during a commit (no journal was left behind), so the test proved nothing.");
    }

    /// <summary>Opens the file as the enclave would and checks it is exactly some version's content.</summary>
    private static long CheckFile(string folder, string home, int round)
    {
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
        using FolderProtectedFileStorage storage = new(folder);
        ProtectedFileService files = new(platform, ProtectedFileWriter.Identity, storage);
        using ProtectedFileStream stream = files.Open(ProtectedFileWriter.FileName, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
        byte[] content = new byte[stream.Length];
        stream.ReadExactly(content);
        long version = content.Length >= 8 ? BitConverter.ToInt64(content) : 0;
        if (version == 0)
        {
            Assert.Empty(content);
        }
        else
        {
            Assert.True(content.AsSpan().SequenceEqual(ProtectedFileWriter.State(version)), $"round {round}: the file is not exactly version {version}'s content.");
        }

        return version;
    }

    private static (long Acknowledged, bool MidCommit) RunAndKill(string folder, string home, bool bound, long target)
    {
        string journal = new FolderProtectedFileStorage(folder).PathOf(ProtectedFileWriter.FileName, ProtectedFilePart.Journal);
        long acknowledged = 0;
        using Process child = ChildProcess.Start(ProtectedFileWriter.WriterCommand, folder, home, bound ? "bound" : "unbound");
        try
        {
            while (acknowledged < target)
            {
                string line = ChildProcess.ReadLine(child);
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    acknowledged = long.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
                }
            }

            // Aim the kill at a commit in flight: wait (briefly) until the journal exists.
            Stopwatch aim = Stopwatch.StartNew();
            while (aim.Elapsed < TimeSpan.FromSeconds(2) && !File.Exists(journal))
            {
                Thread.SpinWait(50);
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        return (acknowledged, File.Exists(journal));
    }
}
