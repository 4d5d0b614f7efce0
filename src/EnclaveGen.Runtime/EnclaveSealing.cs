using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen;

/// <summary>
/// Sealing for trusted code: encrypts data so that only this enclave (<see cref="SealingPolicy.MrEnclave"/>)
/// or enclaves of the same signer and product (<see cref="SealingPolicy.MrSigner"/>) on the same
/// platform can open it again. Call it from a [Trusted] method; hand the sealed bytes to the host
/// (through an OCALL or a return value) to store, as SGX enclaves do.
/// </summary>
/// <remarks>The keys come from the platform's root secret and the enclave's verified identity (docs/sealing.md).</remarks>
public static class EnclaveSealing
{
    /// <summary>The running enclave's own identity, as verified when it was loaded.</summary>
    public static EnclaveIdentity Identity => Current.Identity;

    /// <summary>Seals <paramref name="plaintext"/> under <paramref name="policy"/>, binding <paramref name="additionalData"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> plaintext, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default) =>
        Current.Seal(plaintext, policy, additionalData);

    /// <inheritdoc cref="SealingService.SealWithCounter"/>
    public static byte[] SealWithCounter(ReadOnlySpan<byte> plaintext, SealingPolicy policy, string counterName, ReadOnlySpan<byte> additionalData = default) =>
        Current.SealWithCounter(plaintext, policy, counterName, additionalData);

    /// <summary>Opens a sealed blob; fails with <see cref="EnclaveSealingException"/> naming the policy when this enclave may not.</summary>
    public static byte[] Unseal(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> additionalData = default) =>
        Current.Unseal(sealedData, additionalData);

    /// <summary>Seals a string (UTF-8).</summary>
    public static byte[] SealString(string value, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default) =>
        Current.SealString(value, policy, additionalData);

    /// <summary>Opens a sealed string.</summary>
    public static string UnsealString(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> additionalData = default) =>
        Current.UnsealString(sealedData, additionalData);

    private static SealingService Current => (EnclaveCallContext.Current
        ?? throw new EnclaveCallContextException("Sealing runs inside an enclave: call it from a [Trusted] method (or code it awaits).")).Enclave.Sealing;
}
