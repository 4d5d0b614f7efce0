using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Emitting;

/// <summary>Method signatures as the generated interfaces, proxy and stubs spell them.</summary>
internal static class Signatures
{
    /// <summary>
    /// <c>Type Name(parameters)</c>. Interfaces and the proxy keep default values, <c>params</c>
    /// and [In]/[Out]; a partial method's implementation may not repeat them.
    /// </summary>
    public static string Of(MethodModel method, bool declaration)
    {
        string parameters = string.Join(", ", method.Parameters.Select(parameter => Parameter(parameter, declaration)));
        return $"{method.ReturnType.Display} {method.Name}({parameters})";
    }

    private static string Parameter(ParameterModel parameter, bool declaration)
    {
        string attributes = !declaration ? string.Empty : parameter.Buffer switch
        {
            BufferDirection.Out => "[global::System.Runtime.InteropServices.Out] ",
            BufferDirection.InOut => "[global::System.Runtime.InteropServices.In, global::System.Runtime.InteropServices.Out] ",
            _ => string.Empty,
        };
        if (declaration && parameter.IsUserCheck)
        {
            // Repeated on the proxy, so host code that passes its array is warned too (EG2004).
            attributes += "[global::EnclaveGen.UnsafeUserCheck] ";
        }

        string prefix = declaration && parameter.IsParams ? "params " : string.Empty;
        string suffix = declaration && parameter.DefaultValue is { } value ? " = " + value : string.Empty;
        return $"{attributes}{prefix}{parameter.Modifier}{parameter.Type.Display} {parameter.Name}{suffix}";
    }
}
