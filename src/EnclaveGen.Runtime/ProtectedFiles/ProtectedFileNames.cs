using System.Text.RegularExpressions;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// What a protected file may be called: 1 to 128 letters, digits, '.', '_' and '-', not starting
/// with '.'. Both sides check it: the enclave before a name leaves, the host's storage before it
/// becomes a path (so no name can reach outside the storage's folder).
/// </summary>
internal static partial class ProtectedFileNames
{
    public const int MaxLength = 128;

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static void Validate(string name, string parameterName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValid(name))
        {
            throw new ArgumentException($"A protected file's name is 1 to {MaxLength} letters, digits, '.', '_' and '-', not starting with '.'; got '{name}'.", parameterName);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Pattern();
}
