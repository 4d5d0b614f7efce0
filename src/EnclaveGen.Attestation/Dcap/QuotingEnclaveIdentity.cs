namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The identity a quoting enclave must have for quotes under a trust anchor: its MRSIGNER, product
/// ID, minimum security version and the QE vendor ID the quote header must carry.
/// </summary>
/// <param name="MrSigner">The QE report's expected MRSIGNER (32 bytes).</param>
/// <param name="ProductId">The QE report's expected ISVPRODID.</param>
/// <param name="MinimumSvn">The lowest acceptable QE ISVSVN.</param>
/// <param name="VendorId">The quote header's expected QE vendor ID (16 bytes).</param>
public sealed record QuotingEnclaveIdentity(ReadOnlyMemory<byte> MrSigner, ushort ProductId, ushort MinimumSvn, ReadOnlyMemory<byte> VendorId)
{
    /// <summary>
    /// Intel's DCAP quoting enclave (QE3): MRSIGNER 8c4f5775...c57bff, ISVPRODID 1, vendor ID
    /// 939a7233f79c4ca9940a0db3957f0607. No minimum SVN is enforced without Intel's QE identity
    /// collateral; the QE SVN is returned in the claims.
    /// </summary>
    public static QuotingEnclaveIdentity IntelQe3 { get; } = new(
        Convert.FromHexString("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"),
        1,
        0,
        Convert.FromHexString("939a7233f79c4ca9940a0db3957f0607"));

    /// <summary>
    /// Intel's TDX quoting enclave (TD QE): MRSIGNER dc9e2a7c...54a8c5, ISVPRODID 2, the same vendor
    /// ID, as Intel's published TDX QE identity states and every real TDX quote in the tests shows.
    /// No minimum SVN is enforced without Intel's QE identity collateral.
    /// </summary>
    public static QuotingEnclaveIdentity IntelTdQe { get; } = new(
        Convert.FromHexString("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"),
        2,
        0,
        Convert.FromHexString("939a7233f79c4ca9940a0db3957f0607"));
}
