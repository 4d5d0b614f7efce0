using System.Globalization;
using System.Text;

namespace EnclaveGen;

/// <summary>
/// Who an enclave is, as the loader established it from the verified image and its signature:
/// MRENCLAVE (the exact code and configuration), MRSIGNER (who signed it), product ID, security
/// version (SVN) and whether it is a debug enclave. Sealing keys and attestation reports derive
/// from it.
/// </summary>
public sealed class EnclaveIdentity
{
    internal EnclaveIdentity(string enclaveTypeName, EnclaveHash mrenclave, EnclaveHash mrsigner, ushort productId, ushort securityVersion, bool isDebug, bool isSigned, int maxThreads, long heapLimitBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(enclaveTypeName);
        EnclaveTypeName = enclaveTypeName;
        Mrenclave = mrenclave;
        Mrsigner = mrsigner;
        ProductId = productId;
        SecurityVersion = securityVersion;
        IsDebug = isDebug;
        IsSigned = isSigned;
        MaxThreads = maxThreads;
        HeapLimitBytes = heapLimitBytes;
    }

    /// <summary>Full metadata name of the enclave class.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>The enclave's measurement (what code runs, with which configuration).</summary>
    public EnclaveHash Mrenclave { get; }

    /// <summary>SHA-256 of the signer's public key; all zero for an unsigned image.</summary>
    public EnclaveHash Mrsigner { get; }

    /// <summary>The signed product ID (ISVPRODID).</summary>
    public ushort ProductId { get; }

    /// <summary>The signed security version (ISVSVN).</summary>
    public ushort SecurityVersion { get; }

    /// <summary>True for a debug enclave (signed with DEBUG, or unsigned): its secrets are not protected.</summary>
    public bool IsDebug { get; }

    /// <summary>
    /// False when the image had no signature and the platform allowed that (test platforms only);
    /// such an identity has an all-zero MRSIGNER, product ID 0, SVN 0, and is a debug identity.
    /// </summary>
    public bool IsSigned { get; }

    /// <summary>Thread slots (SGX TCS count) from the image.</summary>
    public int MaxThreads { get; }

    /// <summary>Heap limit in bytes from the image, or 0 for none.</summary>
    public long HeapLimitBytes { get; }

    /// <summary>
    /// An identity made up for tests (sealing, attestation), not established from an image. It is
    /// marked unsigned. Do not use it to stand in for a real enclave.
    /// </summary>
    public static EnclaveIdentity CreateForTesting(string enclaveTypeName, EnclaveHash mrenclave, EnclaveHash mrsigner, ushort productId = 0, ushort securityVersion = 0, bool isDebug = true, int maxThreads = 8)
        => new(enclaveTypeName, mrenclave, mrsigner, productId, securityVersion, isDebug, isSigned: false, maxThreads, heapLimitBytes: 0);

    /// <summary>One line naming every field, with DEBUG and UNSIGNED in capitals when they apply.</summary>
    public override string ToString()
    {
        StringBuilder text = new();
        text.Append(EnclaveTypeName)
            .Append(" MRENCLAVE=").Append(Mrenclave)
            .Append(" MRSIGNER=").Append(Mrsigner)
            .Append(" ISVPRODID=").Append(ProductId.ToString(CultureInfo.InvariantCulture))
            .Append(" ISVSVN=").Append(SecurityVersion.ToString(CultureInfo.InvariantCulture));
        if (IsDebug)
        {
            text.Append(" DEBUG");
        }

        if (!IsSigned)
        {
            text.Append(" UNSIGNED");
        }

        return text.ToString();
    }
}
