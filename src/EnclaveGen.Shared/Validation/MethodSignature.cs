using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Validation;

/// <summary>
/// The canonical signature of a boundary method and its 32-bit method ID, the first four bytes
/// (little-endian) of SHA-256 over the signature's UTF-8 bytes. Host and enclave agree on a call
/// only if they were generated from the same signature.
/// </summary>
internal static class MethodSignature
{
    private static readonly SymbolDisplayFormat s_typeFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>For example <c>ecall Vault.Vault.Check(string,ref int)-&gt;bool</c>.</summary>
    public static string Canonical(IMethodSymbol method, BoundaryKind kind)
    {
        StringBuilder builder = new();
        builder.Append(kind == BoundaryKind.Trusted ? "ecall " : "ocall ");
        builder.Append(method.ContainingType.ToDisplayString(s_typeFormat));
        builder.Append('.').Append(method.Name).Append('(');
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(parameter.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In => "in ",
                _ => string.Empty,
            });
            builder.Append(parameter.Type.ToDisplayString(s_typeFormat));
        }

        builder.Append(")->").Append(method.ReturnType.ToDisplayString(s_typeFormat));
        return builder.ToString();
    }

    public static uint Id(string canonicalSignature)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(canonicalSignature));
        return (uint)(hash[0] | hash[1] << 8 | hash[2] << 16 | hash[3] << 24);
    }
}
