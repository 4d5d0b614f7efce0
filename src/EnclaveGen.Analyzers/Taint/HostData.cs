using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>What the integrity rules need to know about the types of host data.</summary>
internal static class HostData
{
    // Words in an OCALL's name that say it reads a clock (a `long GetUnixTime()` is as much a time as a DateTime).
    private static readonly string[] s_timeWords = ["Time", "Clock", "Timestamp", "Ticks", "Now", "Date", "Epoch"];

    /// <summary>What an OCALL result of <paramref name="type"/>, from the OCALL <paramref name="ocall"/>, hands the enclave.</summary>
    public static HostDataKind KindOf(ITypeSymbol type, string ocall)
    {
        type = Awaited(type);
        if (IsBytes(type))
        {
            return HostDataKind.Bytes;
        }

        if (type.Name is "DateTime" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" && type.ContainingNamespace?.Name == "System")
        {
            return HostDataKind.Time;
        }

        return type.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double && s_timeWords.Any(w => ocall.IndexOf(w, StringComparison.Ordinal) >= 0)
            ? HostDataKind.Time
            : HostDataKind.Value;
    }

    /// <summary>A byte array, span, memory or segment, or a stream.</summary>
    public static bool IsBytes(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType.SpecialType == SpecialType.System_Byte,
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory" or "ArraySegment" or "ReadOnlySequence", TypeArguments: [{ SpecialType: SpecialType.System_Byte }] } => true,
        INamedTypeSymbol { Name: "Stream" or "MemoryStream" } named => named.ContainingNamespace?.ToDisplayString() == "System.IO",
        _ => false,
    };

    /// <summary>An integer type: what can claim a size or a count.</summary>
    public static bool IsCount(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private static ITypeSymbol Awaited(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments: [var result] } ? result : type;
}
