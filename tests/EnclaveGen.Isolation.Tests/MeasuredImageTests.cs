using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EnclaveGen.Isolation.Tests.RawHost;
using EnclaveGen.Isolation.Tests.Images;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// What runs inside is what was measured, in both modes: an attacker who can write the app's folder
/// changes nothing that runs inside an enclave once it was created, and image code runs only after
/// its signature was checked.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class MeasuredImageTests
{
    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task SwappingADependencyBetweenCreateAndTheFirstCallDoesNotRunTheNewCode(EnclaveMode mode)
    {
        await WithProbeAsync("swap", mode, (folder, harness, probe) =>
        {
            ProbeImages.Replace(folder.PathOf("Dep"), ProbeImages.DepVersion2(folder));
            Assert.Equal("v1", ProbeImages.Call<string>(harness, "DepVersion", probe));
        });
    }

    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task ADependencyOutsideTheMeasuredSetIsRefused(EnclaveMode mode)
    {
        // Extra was absent when the enclave was signed (and when it was loaded): the measurement
        // covers no code of it. Dropped into the folder afterwards, it must not run inside.
        await WithProbeAsync("extra", mode, (folder, harness, probe) =>
        {
            File.WriteAllBytes(folder.PathOf("Extra"), ProbeImages.ExtraImage(folder));
            TrustedCodeException refused = Assert.Throws<TrustedCodeException>(() => ProbeImages.Call<string>(harness, "UseExtra", probe));
            Assert.Equal(typeof(FileNotFoundException).FullName, refused.ExceptionTypeName);
            Assert.Contains("'Extra'", refused.EnclaveMessage, StringComparison.Ordinal);
            Assert.Contains("measured", refused.EnclaveMessage, StringComparison.Ordinal);

            // The enclave itself goes on: only code outside its measurement is refused.
            Assert.Equal("v1", ProbeImages.Call<string>(harness, "DepVersion", probe));
        });
    }

    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task AFrameworkNamePlantedInTheAppFolderDoesNotRunInside(EnclaveMode mode)
    {
        await WithProbeAsync("framework", mode, (folder, harness, probe) =>
        {
            // Any file named like a framework assembly: the measurement leaves framework names out,
            // so inside they must come from the shared framework, never from beside the enclave.
            string sharedFramework = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
            File.Copy(Path.Combine(sharedFramework, "System.Text.Json.dll"), Path.Combine(folder.Root, "System.Text.Json.dll"));
            Assert.Equal(sharedFramework, ProbeImages.Call<string>(harness, "FrameworkFolder", probe));
        });
    }

    [Fact]
    public async Task InProcessTrustedCodeRunsFromTheMeasuredBytesInALoadContextOfItsOwn()
    {
        await WithProbeAsync("context", EnclaveMode.InProcess, (folder, harness, probe) =>
        {
            string context = ProbeImages.Call<string>(harness, "LoadContext", probe);
            Assert.StartsWith("EnclaveGen enclave Swap.Probe", context, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void TheEnclaveProcessRunsNoImageCodeBeforeTheSignatureIsChecked()
    {
        // A hostile host names a changed image (its module initializer leaves a trace) and sends the
        // changed image's own digest: only the enclave process's own check stands in the way.
        using EnclaveFolder folder = ProbeImages.Build("initializer");
        using EnclaveFolder changed = ProbeImages.Build("initializer-changed", mark: "two", sign: false);
        ProbeImages.Replace(folder.PathOf(ProbeImages.EnclaveAssembly), File.ReadAllBytes(changed.PathOf(ProbeImages.EnclaveAssembly)));
        string trace = Path.Combine(folder.Root, "trace.txt");
        string image = folder.PathOf(ProbeImages.EnclaveAssembly);

        using RawEnclaveHost host = RawEnclaveHost.Start(
            RawEnclaveHost.HelloFor(enclaveTypeName: "Swap.Probe", maxThreads: 2, imagePath: image) with { ImageDigest = SHA256.HashData(File.ReadAllBytes(image)) },
            new Dictionary<string, string?> { [ProbeImages.TraceVariable] = trace });

        Assert.False(host.Started, "the enclave process accepted an image whose measurement does not match its signature");
        Assert.Contains("does not match its signature", host.Failure, StringComparison.Ordinal);
        Assert.False(File.Exists(trace), $"image code ran in the enclave process before its signature was checked: {(File.Exists(trace) ? File.ReadAllText(trace) : "")}");
    }

    [Fact]
    public async Task InProcessNoEnclaveCopyOfAChangedImageIsLoaded()
    {
        using EnclaveFolder folder = ProbeImages.Build("initializer-inprocess");
        using EnclaveFolder changed = ProbeImages.Build("initializer-inprocess-changed", mark: "two", sign: false);
        ProbeImages.Replace(folder.PathOf(ProbeImages.EnclaveAssembly), File.ReadAllBytes(changed.PathOf(ProbeImages.EnclaveAssembly)));
        string trace = Path.Combine(folder.Root, "trace.txt");
        Environment.SetEnvironmentVariable(ProbeImages.TraceVariable, trace);
        try
        {
            // In-process the host's own copy of the library is host code: it loads (and its module
            // initializer runs) before any check, as any library the app references. The enclave's copy
            // must not: it is loaded from measured bytes, after the signature check, or not at all.
            Type harness = folder.Harness(ProbeImages.EnclaveAssembly, ProbeImages.HarnessType);
            await Assert.ThrowsAsync<EnclaveSignatureException>(() => ProbeImages.CreateAsync(harness, Options(EnclaveMode.InProcess)));
            string[] lines = File.ReadAllLines(trace);
            Assert.All(lines, line => Assert.Equal($"{Environment.ProcessId}|EnclaveGen test app|two", line));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ProbeImages.TraceVariable, null);
        }
    }

    [Fact]
    public async Task TheEnclaveProcessLoadsNoneOfTheRuntimesUnmeasuredHostSideLibraries()
    {
        // MRENCLAVE leaves the runtime's logging libraries out (HostSideAssemblies), and the enclave
        // process would find them in the app's folder: after trusted code used the runtime's
        // enclave-side services, none of them may be loaded there.
        await WithProbeAsync("host-side-loaded", EnclaveMode.Isolated, (folder, harness, probe) =>
        {
            string loaded = ProbeImages.Call<string>(harness, "HostSideLibrariesLoaded", probe);
            Assert.True(loaded.Length == 0, $"The enclave process loaded: {loaded}");
        });
    }

    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task TrustedCodeThatUsesAnUnmeasuredHostSideLibraryIsRefused(EnclaveMode mode)
    {
        // The enclave library references Logging.Abstractions and the file sits beside it, but the
        // measurement leaves it out: trusted code naming its types gets a refusal, not its code.
        await WithProbeAsync("host-side-use", mode, (folder, harness, probe) =>
        {
            TrustedCodeException refused = Assert.Throws<TrustedCodeException>(() => ProbeImages.Call<string>(harness, "UseLogging", probe));
            Assert.Equal(typeof(FileNotFoundException).FullName, refused.ExceptionTypeName);
            string message = refused.EnclaveMessage ?? "";
            Assert.True(
                message.Contains($"refused to load assembly '{ProbeImages.LoggingAbstractions}'", StringComparison.Ordinal)
                    && message.Contains("host's side only", StringComparison.Ordinal)
                    && message.Contains("[Untrusted] method", StringComparison.Ordinal),
                message);

            Assert.Equal("v1", ProbeImages.Call<string>(harness, "DepVersion", probe));
        });
    }

    [Fact]
    public async Task AHostSideLibraryLoadedIntoTheEnclaveProcessEndsItBeforeAnyOfItsCodeRuns()
    {
        // Trusted code that goes around its load context (the process's default one, by name) would
        // get the app folder's unmeasured copy: the enclave process ends instead, before that code runs.
        await WithProbeAsync("host-side-reflection", EnclaveMode.Isolated, (folder, harness, probe) =>
        {
            EnclaveLostException lost = Assert.Throws<EnclaveLostException>(() => ProbeImages.Call<string>(harness, "LoadLoggingIntoTheProcess", probe));
            Assert.True(lost.Message.Contains("exited with code 5", StringComparison.Ordinal), lost.Message);
        });
    }

    /// <summary>Builds and signs the probe app in a new folder, creates its enclave, runs <paramref name="body"/>, and disposes both.</summary>
    private static async Task WithProbeAsync(string name, EnclaveMode mode, Action<EnclaveFolder, Type, object> body)
    {
        using EnclaveFolder folder = ProbeImages.Build(name);
        Type harness = folder.Harness(ProbeImages.EnclaveAssembly, ProbeImages.HarnessType);
        object probe = await ProbeImages.CreateAsync(harness, Options(mode));
        try
        {
            body(folder, harness, probe);
        }
        finally
        {
            await ProbeImages.DisposeAsync(harness, probe);
        }
    }

    private static EnclaveOptions Options(EnclaveMode mode) => new() { Mode = mode, Platform = EnclavePlatform.CreateInMemory() };
}
