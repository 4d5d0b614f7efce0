namespace EnclaveGen;

/// <summary>Explicit release of secret data.</summary>
public static class Secrets
{
    /// <summary>
    /// Releases <paramref name="value"/> from secrecy. The leak analyzers treat the result as
    /// public; nothing else does. The justification is for reviewers and audits.
    /// </summary>
    /// <param name="value">The secret, or data derived from it, that may now leave the enclave.</param>
    /// <param name="justification">Why releasing it is safe, for example "salted hash, not the password".</param>
    /// <returns><paramref name="value"/>, unchanged.</returns>
    public static T Declassify<T>(T value, string justification)
    {
        if (string.IsNullOrWhiteSpace(justification))
        {
            throw new ArgumentException("Say why the value may leave the enclave.", nameof(justification));
        }

        return value;
    }
}
