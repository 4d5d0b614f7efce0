namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The build step (<c>enclavegen sign</c>): measures every enclave class an enclave library
/// records, signs each measurement with the signer key, and writes the signature file next to it.
/// </summary>
public static class EnclaveImageSigner
{
    /// <summary>Signs the enclave library at <paramref name="assemblyPath"/>.</summary>
    /// <param name="assemblyPath">The enclave library, in the folder its references resolve from (the build output).</param>
    /// <param name="key">The signer key.</param>
    /// <param name="productId">ISVPRODID.</param>
    /// <param name="securityVersion">ISVSVN.</param>
    /// <param name="isDebug">The DEBUG attribute.</param>
    /// <param name="outputPath">Where to write the signature file; by default <see cref="EnclaveSignatureFile.PathFor"/>.</param>
    /// <returns>The signature file written, or null when the library records no enclave (nothing is written).</returns>
    /// <exception cref="EnclaveImageException">The library cannot be measured.</exception>
    public static EnclaveSignatureFile? Sign(string assemblyPath, EnclaveSigningKey key, ushort productId, ushort securityVersion, bool isDebug, string? outputPath = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        IReadOnlyList<EnclaveMeasurementResult> measurements = EnclaveMeasurement.MeasureAll(assemblyPath);
        if (measurements.Count == 0)
        {
            return null;
        }

        EnclaveSignatureFile file = new(
            measurements[0].Library.AssemblyName,
            measurements.Select(m => EnclaveSignature.Sign(m, key, productId, securityVersion, isDebug)).ToList());
        file.Save(outputPath ?? EnclaveSignatureFile.PathFor(assemblyPath));
        return file;
    }
}
