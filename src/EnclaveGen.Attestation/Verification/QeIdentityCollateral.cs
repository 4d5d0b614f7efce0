namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's QE identity collateral (version 2), as the PCS serves it: the JSON body
/// <c>{"enclaveIdentity":{...},"signature":"..."}</c> and the issuer chain of its signing
/// certificate (the TCB Signing certificate, then the root), DER each.
/// </summary>
/// <param name="Json">The JSON body, byte for byte as served (the signature covers the exact bytes of the <c>enclaveIdentity</c> value).</param>
/// <param name="SigningChainDer">The signing certificate first, then its issuers up to the root.</param>
public sealed record QeIdentityCollateral(ReadOnlyMemory<byte> Json, IReadOnlyList<byte[]> SigningChainDer);
