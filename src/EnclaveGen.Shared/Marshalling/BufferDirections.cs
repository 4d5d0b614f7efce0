using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>Reads [In] and [Out] (System.Runtime.InteropServices) from a parameter, as P/Invoke does.</summary>
internal static class BufferDirections
{
    public const string InAttribute = "System.Runtime.InteropServices.InAttribute";
    public const string OutAttribute = "System.Runtime.InteropServices.OutAttribute";

    public static bool HasOut(IParameterSymbol parameter) => Has(parameter, OutAttribute);

    public static bool HasIn(IParameterSymbol parameter) => Has(parameter, InAttribute);

    private static bool Has(IParameterSymbol parameter, string metadataName) =>
        parameter.GetAttributes().Any(attribute => attribute.AttributeClass is { } type && TypeStructure.FullName(type) == metadataName);
}
