using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Arm;
using EnclaveGen.Attestation.Emulation;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Generators.Tests;

/// <summary>
/// The trusted-application shape, compiled and run: one enclave class opened by UUID through
/// <see cref="TeeContext"/>, its commands invoked with <see cref="TeeOperation"/>s through the same
/// stubs as its proxy, GlobalPlatform result codes for what goes wrong, and PSA tokens under the
/// trustzone-emulated profile.
/// </summary>
public sealed class TrustedApplicationTests
{
    private const string Enclave = """
        using System;
        using System.Runtime.InteropServices;
        using System.Threading;
        using System.Threading.Tasks;
        using EnclaveGen;
        namespace Ta;

        [Enclave, TrustedApplication("8AAAF200-2450-11E4-ABE2-0002A5D5C51B")]
        public partial class Counter
        {
            private int _entered;
            [Trusted] public int Add(int a, int b) { _entered++; return a + b; }
            [Trusted] public string Greet(string? name) { _entered++; Log("greeted"); return "hi " + (name ?? "nobody"); }
            [Trusted] public void Swap(ref int x, out string y) { _entered++; y = x.ToString(); x = -x; }
            [Trusted] public int Invert(ReadOnlySpan<byte> input, [Out] Span<byte> output)
            {
                _entered++;
                for (int i = 0; i < input.Length; i++) { output[i] = (byte)~input[i]; }
                return input.Length;
            }
            [Trusted] public async Task<int> TwiceAsync(int x, CancellationToken cancellationToken) { await Task.Yield(); _entered++; return 2 * x; }
            [Trusted] public int Entered() => _entered;
            [Trusted] public void Fail() => throw new InvalidOperationException("refused inside");
            [Trusted] public byte[] Token(byte[] nonce) => EnclaveAttestation.CreateEvidence(nonce).Evidence;
            [Untrusted] private static partial void Log(string message);
        }

        [Enclave]
        public partial class Plain
        {
            [Trusted] public int One() => 1;
        }

        public sealed class Host : Counter.IUntrusted
        {
            public int Logged;
            public void Log(string message) => Logged++;
        }

        public static class Entry
        {
            public static EnclaveOptions Options(bool trustZone = true) => new()
            {
                Platform = EnclavePlatform.CreateInMemory(allowUnsignedImages: true),
                Profile = trustZone ? TeeProfile.TrustZoneEmulated : null,
            };

            public static Guid CounterUuid => Counter.TrustedApplication.Uuid;
            public static Guid PlainUuid => Plain.TrustedApplication.Uuid;
            public static uint Add => Counter.TrustedApplication.Commands.Add;
            public static uint Greet => Counter.TrustedApplication.Commands.Greet;
            public static uint Swap => Counter.TrustedApplication.Commands.Swap;
            public static uint Invert => Counter.TrustedApplication.Commands.Invert;
            public static uint TwiceAsync => Counter.TrustedApplication.Commands.TwiceAsync;
            public static uint Entered => Counter.TrustedApplication.Commands.Entered;
            public static uint Fail => Counter.TrustedApplication.Commands.Fail;
            public static uint Token => Counter.TrustedApplication.Commands.Token;
            public static Host NewHost() => new();
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(Enclave));
        return GeneratorHarness.Load(output);
    });

    [Fact]
    public void TheAttributeGivesTheUuidAndWithoutItOneIsDerivedFromTheName()
    {
        Assert.Equal(Guid.Parse("8aaaf200-2450-11e4-abe2-0002a5d5c51b"), Get<Guid>("CounterUuid"));

        // UUIDv8 (RFC 9562) from SHA-256("EnclaveGen trusted application" || 0x00 || full name), computed here independently.
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("EnclaveGen trusted application\0Ta.Plain"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        Assert.Equal(new Guid(hash.AsSpan(0, 16), bigEndian: true), Get<Guid>("PlainUuid"));
    }

    [Fact]
    public async Task CommandsRunTheEcallsAndWriteOutputsBack()
    {
        object host = Call("NewHost");
        await using var context = new TeeContext(Call<EnclaveOptions>("Options", false));
        await using TeeSession session = await context.OpenSessionAsync(Get<Guid>("CounterUuid"), host);

        var add = new TeeOperation(TeeParameter.Input(40), TeeParameter.Input(2), TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Add"), add);
        Assert.Equal(42, add[2].Get<int>());

        var greet = new TeeOperation(TeeParameter.Input(null), TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Greet"), greet);
        Assert.Equal("hi nobody", greet[1].Get<string>());
        Assert.Equal(1, (int)host.GetType().GetField("Logged")!.GetValue(host)!);

        var swap = new TeeOperation(TeeParameter.InOut(7), TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Swap"), swap);
        Assert.Equal(-7, swap[0].Get<int>());
        Assert.Equal("7", swap[1].Get<string>());

        byte[] output = new byte[3];
        var invert = new TeeOperation(TeeParameter.Input(new byte[] { 0x00, 0x0F, 0xF0 }), TeeParameter.Output(output), TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Invert"), invert);
        Assert.Equal(new byte[] { 0xFF, 0xF0, 0x0F }, output);
        Assert.Equal(3, invert[2].Get<int>());

        var twice = new TeeOperation(TeeParameter.Input(21), TeeParameter.Output());
        await session.InvokeCommandAsync(Get<uint>("TwiceAsync"), twice);
        Assert.Equal(42, twice[1].Get<int>());
        Assert.False(session.Identity.Mrenclave.AsSpan().IsEmpty);
    }

    [Fact]
    public async Task AnOperationThatDoesNotFitIsRefusedBeforeTheEnclaveIsEntered()
    {
        await using var context = new TeeContext(Call<EnclaveOptions>("Options", false));
        await using TeeSession session = await context.OpenSessionAsync(Get<Guid>("CounterUuid"), Call("NewHost"));
        uint add = Get<uint>("Add");

        TeeOperation[] misfits =
        [
            new(TeeParameter.Input(1), TeeParameter.Output()),                                      // too few
            new(TeeParameter.Input(1), TeeParameter.Input(2), TeeParameter.Output(), TeeParameter.Output()), // too many
            new(TeeParameter.Input("1"), TeeParameter.Input(2), TeeParameter.Output()),              // wrong type
            new(TeeParameter.Input(null), TeeParameter.Input(2), TeeParameter.Output()),             // null for an int
            new(TeeParameter.InOut(1), TeeParameter.Input(2), TeeParameter.Output()),                // wrong direction
            new(TeeParameter.Input(1), TeeParameter.Input(2), TeeParameter.Input(0)),                // result slot not an output
        ];
        foreach (TeeOperation misfit in misfits)
        {
            TeeException error = Assert.Throws<TeeException>(() => session.InvokeCommand(add, misfit));
            Assert.Equal(TeeResult.BadParameters, error.Result);
            Assert.Equal(TeeReturnOrigin.Api, error.Origin);
            Assert.Contains("Add", error.Message, StringComparison.Ordinal);
        }

        // An [Out] buffer needs the client's array, as a GlobalPlatform memory reference does.
        TeeException noBuffer = Assert.Throws<TeeException>(() => session.InvokeCommand(Get<uint>("Invert"), new TeeOperation(TeeParameter.Input(new byte[2]), TeeParameter.Output(), TeeParameter.Output())));
        Assert.Equal(TeeResult.BadParameters, noBuffer.Result);
        Assert.Contains("output", noBuffer.Message, StringComparison.Ordinal);

        var entered = new TeeOperation(TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Entered"), entered);
        Assert.Equal(0, entered[0].Get<int>());
    }

    [Fact]
    public async Task FailuresCarryTheirGlobalPlatformResultCodes()
    {
        await using var context = new TeeContext(Call<EnclaveOptions>("Options", false));

        TeeException unknownUuid = await Assert.ThrowsAsync<TeeException>(async () => await context.OpenSessionAsync(Guid.Parse("00000000-0000-0000-0000-000000000001")));
        Assert.Equal(TeeResult.ItemNotFound, unknownUuid.Result);

        TeeException noHost = await Assert.ThrowsAsync<TeeException>(async () => await context.OpenSessionAsync(Get<Guid>("CounterUuid")));
        Assert.Equal(TeeResult.BadParameters, noHost.Result);
        Assert.Contains("IUntrusted", noHost.Message, StringComparison.Ordinal);

        TeeException unwantedHost = await Assert.ThrowsAsync<TeeException>(async () => await context.OpenSessionAsync(Get<Guid>("PlainUuid"), Call("NewHost")));
        Assert.Equal(TeeResult.BadParameters, unwantedHost.Result);

        TeeSession session = await context.OpenSessionAsync(Get<Guid>("CounterUuid"), Call("NewHost"));
        TeeException unknownCommand = Assert.Throws<TeeException>(() => session.InvokeCommand(0x12345678, new TeeOperation()));
        Assert.Equal(TeeResult.NotImplemented, unknownCommand.Result);
        Assert.Contains("0x12345678", unknownCommand.Message, StringComparison.Ordinal);

        TeeException thrown = Assert.Throws<TeeException>(() => session.InvokeCommand(Get<uint>("Fail"), new TeeOperation()));
        Assert.Equal(TeeResult.Generic, thrown.Result);
        Assert.Equal(TeeReturnOrigin.TrustedApplication, thrown.Origin);
        Assert.IsType<TrustedCodeException>(thrown.InnerException);

        session.Close();
        TeeException closed = Assert.Throws<TeeException>(() => session.InvokeCommand(Get<uint>("Entered"), new TeeOperation(TeeParameter.Output())));
        Assert.Equal(TeeResult.BadState, closed.Result);

        await context.DisposeAsync();
        TeeException finalized = await Assert.ThrowsAsync<TeeException>(async () => await context.OpenSessionAsync(Get<Guid>("PlainUuid")));
        Assert.Equal(TeeResult.BadState, finalized.Result);
    }

    [Fact]
    public async Task UnderTheTrustZoneProfileTheTrustedApplicationGivesAnEmulatedPsaToken()
    {
        EnclaveOptions options = Call<EnclaveOptions>("Options", true);
        await using var context = new TeeContext(options);
        await using TeeSession session = await context.OpenSessionAsync(Get<Guid>("CounterUuid"), Call("NewHost"));
        byte[] nonce = RandomNumberGenerator.GetBytes(64);

        var call = new TeeOperation(TeeParameter.Input(nonce), TeeParameter.Output());
        session.InvokeCommand(Get<uint>("Token"), call);
        byte[] token = call[1].Get<byte[]>();

        using ECDsa iak = ECDsa.Create();
        iak.ImportFromPem(options.Platform!.PsaAttestationKeyPem);
        EvidenceVerificationException refused = Assert.Throws<EvidenceVerificationException>(() => PsaToken.Verify(token, iak, nonce));
        Assert.Equal("psa.emulated", refused.Check);

        PsaTokenClaims claims = PsaToken.Verify(token, iak, nonce, allowEmulated: true);
        Assert.True(claims.IsEmulated);
        PsaSoftwareComponent application = Assert.Single(claims.SoftwareComponents, c => c.MeasurementType == EmulatedPsaAuthority.TrustedApplicationComponentType);
        Assert.Equal(session.Identity.Mrenclave.AsSpan().ToArray(), application.MeasurementValue.ToArray());
        Assert.Equal(session.Identity.Mrsigner.AsSpan().ToArray(), application.SignerId!.Value.ToArray());
        Assert.Equal(EmulatedPsaAuthority.LifecycleNonPsaRotDebug, claims.SecurityLifecycle); // the test enclave is a debug one
    }

    [Fact]
    public async Task AUuidThatTwoEnclaveClassesClaimOpensNeither()
    {
        Guid shared = Guid.Parse("0b5e55ed-0000-4000-8000-00000000c1a5");
        foreach (string name in new[] { "First", "Second" })
        {
            string source = $$"""
                using EnclaveGen;
                namespace Conflict;
                [Enclave, TrustedApplication("{{shared}}")]
                public partial class {{name}} { [Trusted] public int One() => 1; }
                """;
            (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(source));
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(GeneratorHarness.Load(output).ManifestModule.ModuleHandle);
        }

        await using var context = new TeeContext(Call<EnclaveOptions>("Options", false));
        TeeException conflict = await Assert.ThrowsAsync<TeeException>(async () => await context.OpenSessionAsync(shared));
        Assert.Equal(TeeResult.ItemNotFound, conflict.Result);
        Assert.Contains("Conflict.First and Conflict.Second", conflict.Message, StringComparison.Ordinal);
    }

    private static object Call(string name, params object?[] arguments) =>
        s_assembly.Value.GetType("Ta.Entry")!.GetMethod(name)!.Invoke(null, arguments)!;

    private static T Call<T>(string name, params object?[] arguments) => (T)Call(name, arguments);

    private static T Get<T>(string property) => (T)s_assembly.Value.GetType("Ta.Entry")!.GetProperty(property)!.GetValue(null)!;
}
