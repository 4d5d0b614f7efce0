namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// One enclave class's entry in a signature file: the signed fields, the signer's public key and
/// the signature, plus (unsigned, for diagnostics) its configuration and the component hashes that
/// went into MRENCLAVE, so a mismatch at load can name the file that changed.
/// </summary>
public sealed class EnclaveSignature
{
    /// <summary>Creates an entry.</summary>
    public EnclaveSignature(
        string enclaveTypeName,
        EnclaveHash mrenclave,
        ushort productId,
        ushort securityVersion,
        bool isDebug,
        string algorithm,
        byte[] signerPublicKey,
        byte[] signature,
        int maxThreads,
        long heapLimitBytes,
        IReadOnlyList<MeasuredComponent> components)
    {
        EnclaveTypeName = enclaveTypeName;
        Mrenclave = mrenclave;
        ProductId = productId;
        SecurityVersion = securityVersion;
        IsDebug = isDebug;
        Algorithm = algorithm;
        SignerPublicKey = signerPublicKey;
        Signature = signature;
        MaxThreads = maxThreads;
        HeapLimitBytes = heapLimitBytes;
        Components = components;
        Mrsigner = EnclaveHash.Compute(signerPublicKey);
    }

    /// <summary>Full metadata name of the enclave class.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>The signed measurement.</summary>
    public EnclaveHash Mrenclave { get; }

    /// <summary>The signed product ID (ISVPRODID).</summary>
    public ushort ProductId { get; }

    /// <summary>The signed security version (ISVSVN).</summary>
    public ushort SecurityVersion { get; }

    /// <summary>The signed DEBUG attribute.</summary>
    public bool IsDebug { get; }

    /// <summary>The signature algorithm (<see cref="EnclaveSigningKey.EcdsaP256"/> or <see cref="EnclaveSigningKey.Rsa3072"/>).</summary>
    public string Algorithm { get; }

    /// <summary>The signer's public key, DER SubjectPublicKeyInfo.</summary>
    public byte[] SignerPublicKey { get; }

    /// <summary>SHA-256 of <see cref="SignerPublicKey"/>.</summary>
    public EnclaveHash Mrsigner { get; }

    /// <summary>The signature over <see cref="SigStructBody"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>Thread slots at signing (informational: MRENCLAVE covers it).</summary>
    public int MaxThreads { get; }

    /// <summary>Heap limit at signing (informational: MRENCLAVE covers it).</summary>
    public long HeapLimitBytes { get; }

    /// <summary>The components measured at signing (informational: MRENCLAVE covers them).</summary>
    public IReadOnlyList<MeasuredComponent> Components { get; }

    /// <summary>The bytes the signature covers.</summary>
    public byte[] SignedBody() => SigStructBody.Create(Mrenclave, Mrsigner, ProductId, SecurityVersion, IsDebug);

    /// <summary>True when <see cref="Signature"/> verifies over the signed fields under <see cref="SignerPublicKey"/>.</summary>
    public bool VerifySignature() => EnclaveSigningKey.Verify(Algorithm, SignerPublicKey, SignedBody(), Signature);

    /// <summary>Signs a measurement with <paramref name="key"/>, as the build step does.</summary>
    public static EnclaveSignature Sign(EnclaveMeasurementResult measurement, EnclaveSigningKey key, ushort productId, ushort securityVersion, bool isDebug)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(key);
        byte[] body = SigStructBody.Create(measurement.Mrenclave, key.Mrsigner, productId, securityVersion, isDebug);
        return new EnclaveSignature(
            measurement.Definition.EnclaveTypeName,
            measurement.Mrenclave,
            productId,
            securityVersion,
            isDebug,
            key.Algorithm,
            key.PublicKey,
            key.Sign(body),
            measurement.Definition.MaxThreads,
            measurement.Definition.HeapLimitBytes,
            measurement.Components.ToList());
    }
}
