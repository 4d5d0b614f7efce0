using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Which calls the leak and side-channel rules treat specially, by the API they call.</summary>
internal static class Sinks
{
    /// <summary>Console, debug, trace and logging output: it all leaves the enclave.</summary>
    public static bool IsLog(IMethodSymbol method)
    {
        string? type = method.ContainingType?.OriginalDefinition.ToDisplayString();
        return type switch
        {
            "System.Console" => method.Name.StartsWith("Write", StringComparison.Ordinal),
            "System.Diagnostics.Debug" or "System.Diagnostics.Trace" => true,
            "System.Diagnostics.Debugger" => method.Name == "Log",
            "Microsoft.Extensions.Logging.LoggerExtensions" => method.Name.StartsWith("Log", StringComparison.Ordinal),
            "Microsoft.Extensions.Logging.ILogger" => method.Name == "Log",
            _ => method.Name == "Log" && method.ContainingType?.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.Extensions.Logging.ILogger") == true,
        };
    }

    /// <summary>Comparisons that stop at the first difference: their timing shows how much matched.</summary>
    public static bool IsEarlyExitComparison(IMethodSymbol method)
    {
        string? type = method.ContainingType?.OriginalDefinition.ToDisplayString();
        return type switch
        {
            "string" or "System.String" => method.Name is "Equals" or "Compare" or "CompareOrdinal" or "CompareTo",
            "System.Linq.Enumerable" or "System.MemoryExtensions" => method.Name == "SequenceEqual",
            "System.Array" => method.Name is "IndexOf" or "LastIndexOf",
            _ => false,
        };
    }

    /// <summary>Members whose result is only the length or count of their receiver.</summary>
    public static bool IsLengthOnly(string name) => name is "Length" or "LongLength" or "Count" or "LongCount" or "IsEmpty";

    /// <summary>Parameter types a callee can write into: arrays, spans, memory.</summary>
    public static bool IsWritableBuffer(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol => true,
        INamedTypeSymbol named => named.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.Memory<T>" or "System.Array",
        _ => false,
    };

    /// <summary>Indexers whose element read depends on the index the way an array read does.</summary>
    public static bool IsIndexable(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol => true,
        INamedTypeSymbol named => named.SpecialType == SpecialType.System_String
            || named.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>" or "System.Collections.Generic.List<T>" or "System.Memory<T>" or "System.ReadOnlyMemory<T>",
        _ => false,
    };
}
