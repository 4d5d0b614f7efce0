namespace EnclaveGen;

/// <summary>Why an enclave image was refused at load.</summary>
public enum EnclaveSignatureFailure
{
    /// <summary>No signature file next to the enclave library.</summary>
    SignatureFileMissing,

    /// <summary>The signature file is not a readable EnclaveGen signature file.</summary>
    SignatureFileMalformed,

    /// <summary>The signature file does not list the enclave class being loaded.</summary>
    EnclaveNotSigned,

    /// <summary>The image measured now differs from the measurement that was signed (MRENCLAVE mismatch).</summary>
    MeasurementMismatch,

    /// <summary>The signature does not verify under the signer's public key (the signed fields or the signature were changed).</summary>
    SignatureInvalid,
}
