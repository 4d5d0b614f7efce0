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
    /// <param name="dependencies">Where references resolve from; by default the assembly's folder.</param>
    public static EnclaveSignatureFile? Sign(string assemblyPath, EnclaveSigningKey key, ushort productId, ushort securityVersion, bool isDebug, string? outputPath = null, IEnclaveDependencySource? dependencies = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!File.Exists(assemblyPath))
        {
            throw new EnclaveImageException($"The enclave library '{Path.GetFullPath(assemblyPath)}' does not exist. Build the enclave project first, or check the path.");
        }

        IReadOnlyList<EnclaveMeasurementResult> measurements = dependencies is null
            ? EnclaveMeasurement.MeasureAll(assemblyPath)
            : EnclaveMeasurement.MeasureAll(File.ReadAllBytes(assemblyPath), dependencies, assemblyPath);
        if (measurements.Count == 0)
        {
            return null;
        }

        return Sign(measurements, key, productId, securityVersion, isDebug, outputPath ?? EnclaveSignatureFile.PathFor(assemblyPath));
    }

    /// <summary>Signs measurements already taken (one library, one entry each) and writes the signature file to <paramref name="outputPath"/>.</summary>
    public static EnclaveSignatureFile Sign(IReadOnlyList<EnclaveMeasurementResult> measurements, EnclaveSigningKey key, ushort productId, ushort securityVersion, bool isDebug, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(key);
        if (measurements.Count == 0)
        {
            throw new ArgumentException("There is nothing to sign.", nameof(measurements));
        }

        EnclaveSignatureFile file = new(
            measurements[0].Library.AssemblyName,
            measurements.Select(m => EnclaveSignature.Sign(m, key, productId, securityVersion, isDebug)).ToList());
        file.Save(outputPath);
        return file;
    }
}
