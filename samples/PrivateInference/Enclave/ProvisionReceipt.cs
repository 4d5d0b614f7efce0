namespace PrivateInference;

/// <summary>What provisioning hands back: where the model is kept, and a record for the owner.</summary>
/// <param name="ModelFile">The protected file the model now lives in, on the host's storage, sealed to this enclave's MRENCLAVE; only this enclave build can open it.</param>
/// <param name="OwnerRecord">A channel record for the model owner: SHA-256 of the model the enclave now holds.</param>
public sealed record ProvisionReceipt(string ModelFile, byte[] OwnerRecord);
