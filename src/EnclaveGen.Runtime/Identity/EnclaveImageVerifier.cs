using System.Globalization;
using System.Text;
using EnclaveGen.Attestation;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// What the loader calls before anything of an enclave runs: re-measures the image with the same
/// canonicaliser the build used, checks the signature file, and returns the enclave's identity.
/// A changed image, a wrong signature or a missing signature file throws
/// <see cref="EnclaveSignatureException"/> naming the expected and actual values.
/// </summary>
public static class EnclaveImageVerifier
{
    /// <summary>Verifies the enclave library at <paramref name="imagePath"/>, resolving references from its folder.</summary>
    /// <param name="imagePath">The enclave library (the .dll).</param>
    /// <param name="enclaveTypeName">Full metadata name of the enclave class to load.</param>
    /// <param name="allowUnsigned">
    /// Accept an image without a signature file (test platforms, see
    /// <see cref="EnclavePlatform.AllowsUnsignedImages"/>); the identity then says it is unsigned. A
    /// signature file that exists is checked either way.
    /// </param>
    /// <param name="signatureFilePath">The signature file; by default <see cref="EnclaveSignatureFile.PathFor"/>.</param>
    /// <exception cref="EnclaveSignatureException">The image or its signature does not verify, or the signature file is missing.</exception>
    /// <exception cref="EnclaveImageException">The image is missing or is not an enclave library (and there is no signature to compare with).</exception>
    public static EnclaveIdentity Verify(string imagePath, string enclaveTypeName, bool allowUnsigned = false, string? signatureFilePath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentException.ThrowIfNullOrEmpty(enclaveTypeName);
        (string full, byte[] image) = ReadLibrary(imagePath);
        return VerifyFile(image, full, enclaveTypeName, new FolderDependencySource(Path.GetDirectoryName(full)!), allowUnsigned, signatureFilePath);
    }

    /// <summary>Reads the enclave library's bytes once; returns its full path with them.</summary>
    internal static (string FullPath, byte[] Image) ReadLibrary(string imagePath)
    {
        string full = Path.GetFullPath(imagePath);
        if (!File.Exists(full))
        {
            throw new EnclaveImageException($"The enclave library '{full}' does not exist. Deploy the enclave library (and its {EnclaveSignatureFile.Extension} file) with the app.");
        }

        return (full, File.ReadAllBytes(full));
    }

    /// <summary>
    /// Verifies the bytes <paramref name="image"/> read from the enclave library at
    /// <paramref name="fullPath"/> against the signature file beside it, resolving references through
    /// <paramref name="dependencies"/>.
    /// </summary>
    internal static EnclaveIdentity VerifyFile(byte[] image, string fullPath, string enclaveTypeName, IEnclaveDependencySource dependencies, bool allowUnsigned, string? signatureFilePath = null)
    {
        string signaturePath = Path.GetFullPath(signatureFilePath ?? EnclaveSignatureFile.PathFor(fullPath));
        EnclaveSignatureFile? signature = null;
        if (File.Exists(signaturePath))
        {
            signature = Load(signaturePath, enclaveTypeName);
        }
        else if (!allowUnsigned)
        {
            throw new EnclaveSignatureException(
                $"Enclave image refused: '{enclaveTypeName}' has no signature file. Expected '{signaturePath}' next to '{fullPath}', found none. " +
                $"The EnclaveGen build step writes it after compiling the enclave library and copies it with the assembly into referencing projects and publish output; " +
                $"rebuild, and deploy the {EnclaveSignatureFile.Extension} file with the .dll. Unit tests can use a platform that allows unsigned images (EnclavePlatform.CreateInMemory(allowUnsignedImages: true)).",
                EnclaveSignatureFailure.SignatureFileMissing,
                enclaveTypeName,
                expected: signaturePath,
                actual: "no such file");
        }

        return Verify(image, enclaveTypeName, dependencies, signature, allowUnsigned, fullPath, signaturePath);
    }

    /// <summary>Verifies an image held in memory against a parsed signature file.</summary>
    /// <param name="image">The enclave library's bytes.</param>
    /// <param name="enclaveTypeName">Full metadata name of the enclave class to load.</param>
    /// <param name="dependencies">Where referenced assemblies come from.</param>
    /// <param name="signatureFile">The signature file, or null when there is none.</param>
    /// <param name="allowUnsigned">Accept a null <paramref name="signatureFile"/> (test platforms only).</param>
    /// <param name="imageSource">How to name the image in errors.</param>
    /// <param name="signatureSource">How to name the signature file in errors.</param>
    /// <exception cref="EnclaveSignatureException">The image or its signature does not verify, or there is no signature.</exception>
    /// <exception cref="EnclaveImageException">The image is not an enclave library and there is no signature to compare with.</exception>
    public static EnclaveIdentity Verify(
        ReadOnlyMemory<byte> image,
        string enclaveTypeName,
        IEnclaveDependencySource dependencies,
        EnclaveSignatureFile? signatureFile,
        bool allowUnsigned = false,
        string imageSource = "the enclave image",
        string signatureSource = "the signature file")
    {
        ArgumentException.ThrowIfNullOrEmpty(enclaveTypeName);
        ArgumentNullException.ThrowIfNull(dependencies);
        if (signatureFile is null)
        {
            if (!allowUnsigned)
            {
                throw new EnclaveSignatureException(
                    $"Enclave image refused: '{enclaveTypeName}' has no signature. Sign it with the EnclaveGen build step, or use a platform that allows unsigned images in tests.",
                    EnclaveSignatureFailure.SignatureFileMissing,
                    enclaveTypeName,
                    expected: signatureSource,
                    actual: "none");
            }

            EnclaveMeasurementResult unsigned = EnclaveMeasurement.Measure(image, enclaveTypeName, dependencies, imageSource);
            return new EnclaveIdentity(enclaveTypeName, unsigned.Mrenclave, EnclaveHash.Zero, 0, 0, isDebug: true, isSigned: false, unsigned.Definition.MaxThreads, unsigned.Definition.HeapLimitBytes);
        }

        EnclaveSignature entry = signatureFile.Find(enclaveTypeName) ?? throw new EnclaveSignatureException(
            $"Enclave image refused: {signatureSource} has no entry for '{enclaveTypeName}' (it signs: {Describe(signatureFile)}). The signature file belongs to another build of the library: rebuild the enclave project and deploy its output together.",
            EnclaveSignatureFailure.EnclaveNotSigned,
            enclaveTypeName,
            expected: $"an entry for {enclaveTypeName}",
            actual: Describe(signatureFile));

        if (!entry.VerifySignature())
        {
            throw new EnclaveSignatureException(
                $"Enclave image refused: the signature of '{enclaveTypeName}' in {signatureSource} does not verify. Expected a valid {entry.Algorithm} signature by MRSIGNER {entry.Mrsigner} over " +
                $"MRENCLAVE {entry.Mrenclave}, ISVPRODID {entry.ProductId}, ISVSVN {entry.SecurityVersion}, DEBUG {entry.IsDebug}; the signature or one of these fields was changed after signing. " +
                "Rebuild the enclave project so the build step signs it again, with the intended key.",
                EnclaveSignatureFailure.SignatureInvalid,
                enclaveTypeName,
                expected: $"a valid {entry.Algorithm} signature by MRSIGNER {entry.Mrsigner}",
                actual: "a signature that does not verify over the recorded fields");
        }

        EnclaveMeasurementResult measured;
        try
        {
            measured = EnclaveMeasurement.Measure(image, enclaveTypeName, dependencies, imageSource);
        }
        catch (EnclaveImageException ex)
        {
            EnclaveHash found = EnclaveHash.Compute(image.Span);
            string signedHash = entry.Components.FirstOrDefault(c => string.Equals(c.AssemblyName, signatureFile.AssemblyName, StringComparison.OrdinalIgnoreCase))?.Describe() ?? "unknown";
            string actual = $"an image that cannot be measured (SHA-256 {found})";
            throw new EnclaveSignatureException(
                $"Enclave image refused: '{enclaveTypeName}' cannot be measured any more ({ex.Message}). Signed MRENCLAVE {entry.Mrenclave}, found {actual}. " +
                $"Changed since signing: {signatureFile.AssemblyName} (signed {signedHash}, found {found}). " +
                "The enclave library was changed or replaced after signing: rebuild the enclave project and deploy its output together.",
                EnclaveSignatureFailure.MeasurementMismatch,
                enclaveTypeName,
                expected: entry.Mrenclave.ToString(),
                actual: actual,
                ex);
        }

        if (measured.Mrenclave != entry.Mrenclave)
        {
            throw new EnclaveSignatureException(
                $"Enclave image refused: the measurement of '{enclaveTypeName}' does not match its signature. Signed MRENCLAVE {entry.Mrenclave}, measured {measured.Mrenclave}. " +
                $"{DescribeDifferences(entry, measured)} " +
                "The enclave's files differ from the build that was signed: rebuild the enclave project (the build signs it again) and deploy its output together, or restore the original files.",
                EnclaveSignatureFailure.MeasurementMismatch,
                enclaveTypeName,
                expected: entry.Mrenclave.ToString(),
                actual: measured.Mrenclave.ToString());
        }

        return new EnclaveIdentity(enclaveTypeName, entry.Mrenclave, entry.Mrsigner, entry.ProductId, entry.SecurityVersion, entry.IsDebug, isSigned: true, measured.Definition.MaxThreads, measured.Definition.HeapLimitBytes);
    }

    private static EnclaveSignatureFile Load(string path, string enclaveTypeName)
    {
        try
        {
            return EnclaveSignatureFile.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new EnclaveSignatureException(
                $"Enclave image refused: '{path}' is not a valid EnclaveGen signature file: {ErrorText.Message(ex)}. Rebuild the enclave project to write it again.",
                EnclaveSignatureFailure.SignatureFileMalformed,
                enclaveTypeName,
                expected: $"an {EnclaveSignatureFile.FormatName} v{EnclaveSignatureFile.CurrentVersion} file",
                actual: ErrorText.Message(ex),
                ex);
        }
    }

    private static string Describe(EnclaveSignatureFile file)
        => file.Enclaves.Count == 0 ? "no enclaves" : string.Join(", ", file.Enclaves.Select(e => e.EnclaveTypeName));

    private static string DescribeDifferences(EnclaveSignature signed, EnclaveMeasurementResult measured)
    {
        List<string> changes = [];
        if (signed.MaxThreads != measured.Definition.MaxThreads)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"max threads (signed {signed.MaxThreads}, found {measured.Definition.MaxThreads})"));
        }

        if (signed.HeapLimitBytes != measured.Definition.HeapLimitBytes)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"heap limit (signed {signed.HeapLimitBytes}, found {measured.Definition.HeapLimitBytes})"));
        }

        Dictionary<string, MeasuredComponent> before = signed.Components.ToDictionary(c => c.AssemblyName, StringComparer.OrdinalIgnoreCase);
        foreach (MeasuredComponent now in measured.Components)
        {
            if (!before.Remove(now.AssemblyName, out MeasuredComponent? then))
            {
                changes.Add($"{now.AssemblyName} (not in the signed build, found {now.Describe()})");
            }
            else if (then.ImageHash != now.ImageHash)
            {
                changes.Add($"{now.AssemblyName} (signed {then.Describe()}, found {now.Describe()})");
            }
        }

        foreach (MeasuredComponent gone in before.Values)
        {
            changes.Add($"{gone.AssemblyName} (signed {gone.Describe()}, no longer referenced)");
        }

        StringBuilder text = new();
        text.Append(changes.Count == 0 ? "No component differs from the list the signature file records." : "Changed since signing: " + string.Join("; ", changes) + ".");
        return text.ToString();
    }
}
