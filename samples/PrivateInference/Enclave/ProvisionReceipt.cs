namespace PrivateInference;

/// <summary>What provisioning hands back: the model sealed for the host to store, and a record for the owner.</summary>
/// <param name="SealedModel">The model sealed to this enclave's MRENCLAVE; only this enclave build can open it.</param>
/// <param name="OwnerRecord">A channel record for the model owner: SHA-256 of the model the enclave now holds.</param>
public sealed record ProvisionReceipt(byte[] SealedModel, byte[] OwnerRecord);
