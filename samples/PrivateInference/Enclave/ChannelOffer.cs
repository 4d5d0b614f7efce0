namespace PrivateInference;

/// <summary>The enclave's half of an attested channel's handshake (public: the host relays it to the party).</summary>
/// <param name="Quote">The enclave's quote; its REPORTDATA binds <paramref name="PublicKey"/> and the party's nonce.</param>
/// <param name="PublicKey">The enclave's ephemeral channel key (P-256, uncompressed).</param>
public sealed record ChannelOffer(byte[] Quote, byte[] PublicKey);
