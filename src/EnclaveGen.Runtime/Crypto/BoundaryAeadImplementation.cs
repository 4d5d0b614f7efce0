namespace EnclaveGen.Runtime.Crypto;

/// <summary>Which implementation <see cref="BoundaryAead.Create(ReadOnlySpan{byte}, BoundaryAeadImplementation)"/> builds.</summary>
internal enum BoundaryAeadImplementation
{
    /// <summary>The fastest one this CPU supports (what the runtime uses).</summary>
    Fastest,

    /// <summary>AES-NI and PCLMULQDQ on 128-bit vectors only (every x64 CPU from about 2010).</summary>
    HardwareVector128,

    /// <summary>AES-NI, with GHASH of long associated data and of Open's ciphertext on 256-bit VPCLMULQDQ (16 blocks per reduction).</summary>
    HardwareVector256,

    /// <summary>.NET's <see cref="System.Security.Cryptography.AesGcm"/> (OpenSSL, CNG or CommonCrypto), pooled for thread safety.</summary>
    Platform,
}
