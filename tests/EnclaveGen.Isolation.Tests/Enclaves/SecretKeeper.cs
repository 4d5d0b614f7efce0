using System.Security.Cryptography;
using System.Text;
using EnclaveGen;

namespace EnclaveGen.Isolation.Tests.Enclaves;

/// <summary>
/// Makes a secret that exists only inside the enclave: SHA-256 over a label and a seed the host
/// sends. The host learns only a hash of it, so the secret's bytes have no reason to be in host memory.
/// </summary>
[Enclave]
public partial class SecretKeeper
{
    public const string Label = "EnclaveGen isolation proof|";

    private byte[] _secret = [];

    /// <summary>Derives and keeps the secret; returns SHA-256 of it, so the caller can check which one it is.</summary>
    [Trusted]
    public byte[] Keep(byte[] seed)
    {
        _secret = SHA256.HashData([.. Encoding.UTF8.GetBytes(Label), .. seed]);
        return SHA256.HashData(_secret);
    }

    /// <summary>Uses the secret (so it stays reachable), without giving it out.</summary>
    [Trusted]
    public int Touch() => _secret.Length;
}
