namespace JointStatistics;

/// <summary>
/// What the enclave hands a party (through the host) to open an attested channel: a quote whose
/// REPORTDATA binds <paramref name="EnclaveKey"/> and the party's nonce. Both are public.
/// </summary>
/// <param name="Quote">The enclave's DCAP v3 quote.</param>
/// <param name="EnclaveKey">The enclave's ephemeral channel public key for this party (65 bytes, uncompressed P-256).</param>
public sealed record ChannelOffer(byte[] Quote, byte[] EnclaveKey);
