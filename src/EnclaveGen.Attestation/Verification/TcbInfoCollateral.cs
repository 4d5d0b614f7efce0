namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's SGX TCB info collateral (version 2 or 3), as the PCS serves it for the platform's
/// FMSPC: the JSON body <c>{"tcbInfo":{...},"signature":"..."}</c> and the issuer chain of its
/// signing certificate (TCB Signing, then the root), DER each.
/// </summary>
/// <param name="Json">The JSON body, byte for byte as served.</param>
/// <param name="SigningChainDer">The signing certificate first, then its issuers up to the root.</param>
public sealed record TcbInfoCollateral(ReadOnlyMemory<byte> Json, IReadOnlyList<byte[]> SigningChainDer);
