using System.Diagnostics;
using EnclaveGen.Runtime.Platform;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// Kills a child process in the middle of many sealed-file writes, then checks every file: with
/// <see cref="AtomicFile"/> each one still unseals to a complete record. The same kill against
/// in-place writes tears files, which shows the check can fail.
/// </summary>
public sealed class SealedFileCrashTests : IDisposable
{
    private const int Rounds = 6;

    // A fast machine can finish most writes between two polls; keep going (bounded) until a kill lands mid-write.
    private const int MaxAtomicRounds = 30;
    private readonly string _root = Directory.CreateTempSubdirectory("egcrash").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void KillingTheWriterMidWriteLeavesEverySealedFileOpenable()
    {
        int interruptedRounds = 0;
        int round = 0;
        for (; round < Rounds || (interruptedRounds == 0 && round < MaxAtomicRounds); round++)
        {
            (string folder, string home) = RunAndKill(round, inPlace: false);
            using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
            SealingService sealing = new(platform, CrashWriter.Identity);
            for (int index = 0; index < CrashWriter.FileCount; index++)
            {
                byte[] record = sealing.UnsealFile(Path.Combine(folder, CrashWriter.FileName(index)), CrashWriter.AdditionalData(index));
                Assert.True(CrashWriter.IsValidRecord(index, record), $"round {round}: file {index} holds a record that was never written");
            }

            // A temporary file left behind means the kill landed between starting a write and its rename.
            if (Directory.GetFiles(folder, "*" + AtomicFile.TemporaryExtension).Length > 0)
            {
                interruptedRounds++;
            }
        }

        Assert.True(interruptedRounds > 0, $"In {round} rounds no kill landed in the middle of a write, so the test proved nothing.");
    }

    [Fact]
    public void KillingAnInPlaceWriterTearsFilesWhichTheCheckDetects()
    {
        for (int round = 0; round < Rounds; round++)
        {
            (string folder, string home) = RunAndKill(round, inPlace: true);
            using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
            SealingService sealing = new(platform, CrashWriter.Identity);
            for (int index = 0; index < CrashWriter.FileCount; index++)
            {
                try
                {
                    sealing.UnsealFile(Path.Combine(folder, CrashWriter.FileName(index)), CrashWriter.AdditionalData(index));
                }
                catch (EnclaveSealingException error) when (error.Reason is SealingFailure.Truncated or SealingFailure.Empty or SealingFailure.AuthenticationFailed)
                {
                    return;
                }
            }
        }

        Assert.Fail($"In {Rounds} rounds of killing an in-place writer no file was torn: the crash check could not tell atomic writes from torn ones.");
    }

    private (string Folder, string Home) RunAndKill(int round, bool inPlace)
    {
        string folder = Path.Combine(_root, $"{(inPlace ? "in-place" : "atomic")}-{round}");
        string home = Path.Combine(_root, "home");
        Directory.CreateDirectory(folder);
        using Process child = ChildProcess.Start(CrashWriter.Command, folder, home, inPlace ? "in-place" : "atomic");
        try
        {
            // Let it get well into its loop (a varying number of writes each round), then kill it mid-stride.
            int target = 24 + (round * 8);
            string line;
            do
            {
                line = ChildProcess.ReadLine(child);
            }
            while (!(line.StartsWith("wrote ", StringComparison.Ordinal) && long.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture) >= target));

            if (!inPlace)
            {
                // Aim the kill at a write in flight: wait (briefly) until a temporary file exists.
                Stopwatch aim = Stopwatch.StartNew();
                while (aim.Elapsed < TimeSpan.FromSeconds(2) && Directory.GetFiles(folder, "*" + AtomicFile.TemporaryExtension).Length == 0)
                {
                    Thread.SpinWait(50);
                }
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        return (folder, home);
    }
}
