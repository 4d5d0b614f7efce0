using System.Reflection;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>
/// The hardware AES-GCM's long-message work never runs as unoptimized (tier-0) code: each method
/// is compiled optimized at its first call (<c>AggressiveOptimization</c>), always inlined into one
/// that is (<c>AggressiveInlining</c>), at most 16 bytes of IL (the JIT inlines those whatever its
/// budget), or part of the short-message path, which is left to tiered compilation on purpose
/// (faster at tier 1 with profile-guided optimization; its tier-0 calls cost nanoseconds).
/// Tier-0 block loops made a process's first large crossings about ten times slower than later
/// ones (docs/crypto.md, "The first calls of a process"); a method added without a decision brings
/// that back, and this test names it.
/// </summary>
public sealed class CompilationTierTests
{
    // What the machine supports (asked when a context is created), argument checks, and the end of
    // the object's life: before or after the block work, never in it.
    private static readonly HashSet<string> s_outsideTheBlockWork = ["get_IsSupported", "get_IsVector256Supported", "CheckPiece", "Dispose"];

    // Messages of up to seven blocks (the boundary's common case), and the eight counter blocks a
    // long message's tail takes once: tiered on purpose.
    private static readonly HashSet<string> s_shortMessagePath = ["Seal", "Open", "SealShort", "OpenShort", "EncryptCounters8", "GhashShortMessage"];

    [Fact]
    public void EveryMethodIsCompiledOptimizedOrInlinedIntoOneThatIs()
    {
        MethodInfo[] methods = typeof(HardwareAesGcm).GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(methods);

        string[] neither = [.. methods
            .Where(method => !s_outsideTheBlockWork.Contains(method.Name) && !s_shortMessagePath.Contains(method.Name) && !IsAlwaysInlined(method))
            .Where(method => (method.MethodImplementationFlags & (MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.AggressiveInlining)) == 0)
            .Select(method => method.Name)
            .Order()];

        Assert.Empty(neither);
    }

    [Theory]
    [InlineData("SealLong")]
    [InlineData("OpenLong")]
    [InlineData("ExpectedTagLong")]
    [InlineData("SealBatch8")]
    [InlineData("CtrBatch8")]
    [InlineData("GhashBuffer")]
    [InlineData("Ctr")]
    [InlineData("SealPiece")]
    [InlineData("Verify")]
    [InlineData("DecryptAt")]
    [InlineData("SealBlocks")]
    [InlineData("FinishSeal")]
    public void LongMessageWorkIsCompiledOptimizedAtItsFirstCall(string name) =>
        Assert.True(IsOptimizedFromItsFirstCall(name), $"{name} is not AggressiveOptimization.");

    [Theory]
    [InlineData("Seal")]
    [InlineData("Open")]
    [InlineData("SealShort")]
    public void TheShortMessagePathIsLeftToTieredCompilation(string name) =>
        Assert.False(IsOptimizedFromItsFirstCall(name), $"{name} is AggressiveOptimization: it loses profile-guided optimization.");

    private static bool IsOptimizedFromItsFirstCall(string name) =>
        typeof(HardwareAesGcm).GetMethod(name, BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!
            .MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization);

    // The JIT inlines a method of at most 16 bytes of IL into any caller (its "always inline" size).
    private static bool IsAlwaysInlined(MethodInfo method) => method.GetMethodBody()?.GetILAsByteArray() is { Length: <= 16 };
}
