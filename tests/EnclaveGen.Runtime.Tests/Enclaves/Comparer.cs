using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>Used by the timing-leak tests: an ECALL whose comparison stops at the first difference.</summary>
[Enclave]
public partial class Comparer
{
    private byte[] _secret = [];

    [Trusted]
    public void Store(byte[] secret) => _secret = secret;

    /// <summary>Deliberately leaky (the stored bytes are not marked [Secret], so no analyzer rule stops it).</summary>
    [Trusted]
    public bool CheckEarlyExit(byte[] guess)
    {
        for (int i = 0; i < _secret.Length; i++)
        {
            if (_secret[i] != guess[i])
            {
                return false;
            }
        }

        return true;
    }
}
