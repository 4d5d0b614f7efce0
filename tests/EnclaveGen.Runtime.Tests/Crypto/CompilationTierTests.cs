using System.Reflection;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>
/// The hardware AES-GCM never runs as unoptimized (tier-0) code: a method of it that is not
/// compiled optimized at its first call (<c>AggressiveOptimization</c>) is always inlined into one
/// that is (<c>AggressiveInlining</c>). Tier-0 code made a process's first large crossings about ten
/// times slower than later ones (docs/crypto.md, "The first calls of a process"); a method added
/// without either attribute brings that back, and this test names it. Methods of at most 16 bytes
/// of IL (the pointer and flag getters) need neither: the JIT inlines those whatever its budget.
/// </summary>
public sealed class CompilationTierTests
{
    // What the machine supports (asked when a context is created), argument checks, and the end of
    // the object's life: before or after the block work, never in it.
    private static readonly HashSet<string> s_outsideTheBlockWork = ["get_IsSupported", "get_IsVector256Supported", "CheckPiece", "Dispose"];

    [Fact]
    public void EveryMethodIsCompiledOptimizedOrInlinedIntoOneThatIs()
    {
        MethodInfo[] methods = typeof(HardwareAesGcm).GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(methods);

        string[] neither = [.. methods
            .Where(method => !s_outsideTheBlockWork.Contains(method.Name) && !IsAlwaysInlined(method))
            .Where(method => (method.MethodImplementationFlags & (MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.AggressiveInlining)) == 0)
            .Select(method => method.Name)
            .Order()];

        Assert.Empty(neither);
    }

    [Theory]
    [InlineData("Seal")]
    [InlineData("Open")]
    [InlineData("Verify")]
    [InlineData("DecryptAt")]
    [InlineData("SealBlocks")]
    [InlineData("FinishSeal")]
    public void EntryPointsAreCompiledOptimizedAtTheirFirstCall(string name)
    {
        MethodInfo method = typeof(HardwareAesGcm).GetMethod(name, BindingFlags.Instance | BindingFlags.Public)!;

        Assert.True(method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization), $"{name} is not AggressiveOptimization.");
    }

    // The JIT inlines a method of at most 16 bytes of IL into any caller (its "always inline" size).
    private static bool IsAlwaysInlined(MethodInfo method) => method.GetMethodBody()?.GetILAsByteArray() is { Length: <= 16 };
}
