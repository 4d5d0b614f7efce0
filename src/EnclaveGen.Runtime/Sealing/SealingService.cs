using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Sealing;

/// <summary>
/// Seals data to an enclave's identity on a platform, and opens it again (SGX's sgx_seal_data /
/// sgx_unseal_data). Each blob gets its own AES-256-GCM key, derived from the platform root with
/// HKDF-SHA256 over the policy, the identity it binds to (MRENCLAVE or MRSIGNER), the product ID,
/// the security version, the debug attribute and a random key ID. Format: docs/sealing.md.
/// </summary>
/// <remarks>
/// SVN rule: a blob sealed at security version s opens in an enclave whose SVN is s or higher,
/// never lower (the newer enclave derives the older key; an older one cannot derive a newer key).
/// </remarks>
public sealed class SealingService
{
    private static ReadOnlySpan<byte> KeyLabel => "EnclaveGen seal key v1"u8;

    private readonly EnclavePlatform _platform;
    private readonly TeeProfile _profile;

    /// <summary>Seals and opens for <paramref name="identity"/> on <paramref name="platform"/>, under <paramref name="profile"/>.</summary>
    /// <remarks>Under <see cref="TeeProfile.Cvm"/> every seal and unseal fails with <see cref="SealingFailure.NoHardwareKey"/> (docs/profiles.md, sealing in a CVM).</remarks>
    public SealingService(EnclavePlatform platform, EnclaveIdentity identity, TeeProfile profile = TeeProfile.SgxEmulated)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(identity);
        _platform = platform;
        _profile = profile;
        Identity = identity;
    }

    /// <summary>The enclave this service seals for.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>Seals <paramref name="plaintext"/> under <paramref name="policy"/>.</summary>
    /// <param name="plaintext">The data to protect.</param>
    /// <param name="policy">Which identity can open it: this exact enclave, or this signer and product.</param>
    /// <param name="additionalData">Data that is not stored but must be given again, unchanged, to unseal (a file name, a record ID).</param>
    /// <returns>The sealed blob: a header, the ciphertext and a tag.</returns>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default) =>
        SealBlob(plaintext, policy, additionalData, counterId: null, counterValue: 0);

    /// <summary>
    /// Seals <paramref name="plaintext"/> bound to the monotonic counter <paramref name="counterName"/>
    /// (owned, like the blob, by <paramref name="policy"/>'s identity; created on first use): the
    /// counter is incremented and its new value recorded in the blob's authenticated header, so
    /// <see cref="Unseal"/> refuses every older blob bound to it as rolled back
    /// (<see cref="SealingFailure.RolledBack"/>).
    /// </summary>
    /// <remarks>
    /// The counter moves before the blob reaches storage: if the host loses the new blob, the
    /// previous one is refused too. Store it with a crash-safe write (<see cref="SealToFile"/>), or
    /// use a protected file, whose commits keep the previous version until the new one is durable.
    /// </remarks>
    /// <exception cref="MonotonicCounterException">The platform has no monotonic counters.</exception>
    public byte[] SealWithCounter(ReadOnlySpan<byte> plaintext, SealingPolicy policy, string counterName, ReadOnlySpan<byte> additionalData = default)
    {
        EnclaveCounterService counters = new(_platform, Identity);
        IMonotonicCounterService service = counters.Require();
        string counterId = counters.IdFor(CounterKind.Named, counterName, policy);
        if (service.Read(counterId) is null)
        {
            try
            {
                service.Create(counterId);
            }
            catch (MonotonicCounterException exception) when (exception.Reason == MonotonicCounterFailure.AlreadyExists)
            {
                // Another thread or process created it first: use theirs.
            }
        }

        ulong value = service.Increment(counterId);
        return SealBlob(plaintext, policy, additionalData, Convert.FromHexString(counterId), value);
    }

    private byte[] SealBlob(ReadOnlySpan<byte> plaintext, SealingPolicy policy, ReadOnlySpan<byte> additionalData, byte[]? counterId, ulong counterValue)
    {
        if (policy is not (SealingPolicy.MrEnclave or SealingPolicy.MrSigner))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "The sealing policy is MrEnclave or MrSigner.");
        }

        SealedBlobHeader header = new(
            counterId is null ? SealedBlobHeader.CurrentVersion : SealedBlobHeader.CounterBoundVersion,
            policy,
            Identity.IsDebug,
            _platform.PlatformIdBytes.ToArray(),
            policy == SealingPolicy.MrEnclave ? Identity.Mrenclave : Identity.Mrsigner,
            Identity.ProductId,
            Identity.SecurityVersion,
            RandomNumberGenerator.GetBytes(SealedBlobHeader.KeyIdLength),
            RandomNumberGenerator.GetBytes(SealedBlobHeader.NonceLength),
            plaintext.Length,
            counterId,
            counterValue);
        byte[] blob = new byte[header.TotalLength];
        header.Write(blob);
        int headerLength = header.HeaderLength;
        byte[] associated = Associate(blob.AsSpan(0, headerLength), additionalData);
        Span<byte> key = stackalloc byte[32];
        try
        {
            DeriveKey(header, key);
            using AesGcm aes = new(key, SealedBlobHeader.TagLength);
            aes.Encrypt(header.Nonce, plaintext, blob.AsSpan(headerLength, plaintext.Length), blob.AsSpan(headerLength + plaintext.Length), associated);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return blob;
    }

    /// <summary>Opens a blob sealed by <see cref="Seal"/>.</summary>
    /// <param name="sealedData">The blob, exactly as <see cref="Seal"/> returned it.</param>
    /// <param name="additionalData">The additional data given when sealing.</param>
    /// <exception cref="EnclaveSealingException">
    /// The blob cannot be opened by this enclave on this platform; <see cref="EnclaveSealingException.Reason"/>
    /// says why and the message names the policy and the values that differ.
    /// </exception>
    public byte[] Unseal(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> additionalData = default)
    {
        SealedBlobHeader header = SealedBlobHeader.Read(sealedData);
        CheckAccess(header);
        byte[] plaintext = new byte[header.CiphertextLength];
        int headerLength = header.HeaderLength;
        byte[] associated = Associate(sealedData[..headerLength], additionalData);
        Span<byte> key = stackalloc byte[32];
        try
        {
            DeriveKey(header, key);
            using AesGcm aes = new(key, SealedBlobHeader.TagLength);
            aes.Decrypt(header.Nonce, sealedData.Slice(headerLength, header.CiphertextLength), sealedData[(headerLength + header.CiphertextLength)..], plaintext, associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new EnclaveSealingException(
                $"Cannot unseal: authentication failed for a blob sealed under policy {header.PolicyName}. Either the additional authenticated data differs from the data given when sealing, or the blob was modified after sealing. Pass the same additional data as at sealing; a modified blob cannot be recovered.",
                SealingFailure.AuthenticationFailed,
                header.Policy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (header.CounterId is { } counterId)
        {
            try
            {
                CheckCounter(header, counterId, header.CounterValue ?? 0);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw;
            }
        }

        return plaintext;
    }

    /// <summary>Seals a string (UTF-8).</summary>
    public byte[] SealString(string value, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        try
        {
            return Seal(utf8, policy, additionalData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>Opens a string sealed by <see cref="SealString"/>.</summary>
    /// <exception cref="EnclaveSealingException">The blob cannot be opened (see <see cref="Unseal"/>).</exception>
    public string UnsealString(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> additionalData = default)
    {
        byte[] utf8 = Unseal(sealedData, additionalData);
        try
        {
            return Encoding.UTF8.GetString(utf8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>
    /// Seals a value serialized as JSON with <paramref name="typeInfo"/> (from a
    /// <c>JsonSerializerContext</c>, so it stays trim- and AOT-safe).
    /// </summary>
    public byte[] SealValue<T>(T value, JsonTypeInfo<T> typeInfo, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        try
        {
            return Seal(json, policy, additionalData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>Opens a value sealed by <see cref="SealValue{T}"/>.</summary>
    /// <exception cref="EnclaveSealingException">The blob cannot be opened (see <see cref="Unseal"/>).</exception>
    /// <exception cref="JsonException">The blob opened but does not hold a <typeparamref name="T"/>.</exception>
    public T? UnsealValue<T>(ReadOnlySpan<byte> sealedData, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> additionalData = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        byte[] json = Unseal(sealedData, additionalData);
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> and writes the blob to <paramref name="path"/> atomically
    /// (<see cref="AtomicFile"/>): a crash leaves the old file or the new one, never a torn one.
    /// </summary>
    public void SealToFile(string path, ReadOnlySpan<byte> plaintext, SealingPolicy policy, ReadOnlySpan<byte> additionalData = default)
        => AtomicFile.WriteAllBytes(path, Seal(plaintext, policy, additionalData));

    /// <summary>Reads and opens a file written by <see cref="SealToFile"/>.</summary>
    /// <exception cref="EnclaveSealingException">The blob cannot be opened (see <see cref="Unseal"/>).</exception>
    public byte[] UnsealFile(string path, ReadOnlySpan<byte> additionalData = default) => Unseal(File.ReadAllBytes(path), additionalData);

    /// <summary>A counter-bound blob opens only at its counter's current value: lower is a rollback, higher a reset counter store.</summary>
    private void CheckCounter(SealedBlobHeader header, string counterId, ulong sealedValue)
    {
        IMonotonicCounterService counters = _platform.MonotonicCounters ?? throw new EnclaveSealingException(
            $"Cannot unseal: the blob (policy {header.PolicyName}) is bound to monotonic counter {counterId}, and this platform ({_platform.Location}) has no monotonic counter service to check it against. Open it on a platform (TEE profile) with counters.",
            SealingFailure.CounterUnavailable,
            header.Policy);
        ulong? current = counters.Read(counterId);
        if (current is null || current < sealedValue)
        {
            string now = current is null ? "missing" : current.Value.ToString(CultureInfo.InvariantCulture);
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the blob (policy {header.PolicyName}) is version {sealedValue} of monotonic counter {counterId}, but the counter in {counters.Description} is {now}: the platform's counter store was reset or rolled back (in emulation, whoever controls the store can do this). The blob itself is authentic; restore the counter store, or re-seal the data."),
                SealingFailure.CounterBehind,
                header.Policy,
                expected: string.Create(CultureInfo.InvariantCulture, $"counter >= {sealedValue}"),
                actual: now);
        }

        if (sealedValue < current)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: rolled back. The blob (policy {header.PolicyName}) is version {sealedValue} of monotonic counter {counterId}, but the counter is at {current}: a newer blob was sealed since, and the host handed back an older one. Use the newest blob; an older one is never accepted again."),
                SealingFailure.RolledBack,
                header.Policy,
                expected: string.Create(CultureInfo.InvariantCulture, $"version {current}"),
                actual: string.Create(CultureInfo.InvariantCulture, $"version {sealedValue}"));
        }
    }

    private void CheckAccess(SealedBlobHeader header)
    {
        string policy = header.PolicyName;
        string platformId = Convert.ToHexStringLower(header.PlatformId);
        if (!header.PlatformId.AsSpan().SequenceEqual(_platform.PlatformIdBytes))
        {
            throw new EnclaveSealingException(
                $"Cannot unseal: the blob was sealed under policy {policy} on another platform ({platformId}); this platform is {_platform.PlatformId} ({_platform.Location}). " +
                "Sealed data is bound to the platform's root key and cannot move to another machine or another EnclaveGen home (ENCLAVEGEN_HOME). Unseal it where it was sealed and send it over an attested channel instead.",
                SealingFailure.AnotherPlatform,
                header.Policy,
                expected: platformId,
                actual: _platform.PlatformId);
        }

        if (header.Policy == SealingPolicy.MrEnclave && header.Identity != Identity.Mrenclave)
        {
            throw new EnclaveSealingException(
                $"Cannot unseal: the blob was sealed under policy MRENCLAVE by enclave {header.Identity}; this enclave ({Identity.EnclaveTypeName}) is {Identity.Mrenclave}. " +
                "MRENCLAVE-sealed data opens only in the exact enclave build that sealed it, and any change to the enclave (an upgrade, a rebuild with other code or settings) gives a new MRENCLAVE. " +
                "To carry data across an upgrade, have the old version unseal it and re-seal it under SealingPolicy.MrSigner before upgrading.",
                SealingFailure.AnotherEnclave,
                header.Policy,
                expected: header.Identity.ToString(),
                actual: Identity.Mrenclave.ToString());
        }

        if (header.Policy == SealingPolicy.MrSigner && header.Identity != Identity.Mrsigner)
        {
            throw new EnclaveSealingException(
                $"Cannot unseal: the blob was sealed under policy MRSIGNER by enclaves of signer {header.Identity}; this enclave ({Identity.EnclaveTypeName}) is signed by {Identity.Mrsigner}. " +
                "Only enclaves signed with the same key can open it: sign this enclave with the original signing key (EnclaveSigningKey).",
                SealingFailure.AnotherSigner,
                header.Policy,
                expected: header.Identity.ToString(),
                actual: Identity.Mrsigner.ToString());
        }

        if (header.ProductId != Identity.ProductId)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the blob was sealed under policy {policy} for product ID {header.ProductId}; this enclave ({Identity.EnclaveTypeName}) has product ID {Identity.ProductId}. Each product of a signer has its own sealing keys: open it in an enclave built with EnclaveProductId={header.ProductId}."),
                SealingFailure.AnotherProduct,
                header.Policy,
                expected: header.ProductId.ToString(CultureInfo.InvariantCulture),
                actual: Identity.ProductId.ToString(CultureInfo.InvariantCulture));
        }

        if (header.SealedByDebugEnclave != Identity.IsDebug)
        {
            throw new EnclaveSealingException(
                header.SealedByDebugEnclave
                    ? $"Cannot unseal: the blob was sealed under policy {policy} by a DEBUG enclave; this enclave ({Identity.EnclaveTypeName}) is a production enclave. Data from debug enclaves is not trusted by production ones: seal it again in production."
                    : $"Cannot unseal: the blob was sealed under policy {policy} by a production enclave; this enclave ({Identity.EnclaveTypeName}) is a DEBUG enclave, whose memory is not protected. Open it in the production build (EnclaveDebug=false).",
                SealingFailure.DebugMismatch,
                header.Policy,
                expected: header.SealedByDebugEnclave ? "debug" : "production",
                actual: Identity.IsDebug ? "debug" : "production");
        }

        if (header.SecurityVersion > Identity.SecurityVersion)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the blob was sealed under policy {policy} at security version (SVN) {header.SecurityVersion}; this enclave ({Identity.EnclaveTypeName}) has SVN {Identity.SecurityVersion}. An enclave opens data sealed at its own or a lower SVN, never a higher one, so a rolled-back version cannot read what a patched version wrote: run the enclave version with SVN {header.SecurityVersion} or later."),
                SealingFailure.HigherSecurityVersion,
                header.Policy,
                expected: string.Create(CultureInfo.InvariantCulture, $"SVN >= {header.SecurityVersion}"),
                actual: Identity.SecurityVersion.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// HKDF-SHA256(ikm = platform root key, salt = key ID, info = label || policy || flags ||
    /// identity || product ID || SVN). The identity, product, flags and SVN are the blob's, which
    /// <see cref="CheckAccess"/> has compared with this enclave's; the SVN may be lower than ours.
    /// </summary>
    private void DeriveKey(SealedBlobHeader header, Span<byte> key)
    {
        if (_profile == TeeProfile.Cvm)
        {
            // The platform's root key lies on the VM's disk; sealing under it would claim a hardware binding it does not have.
            throw new EnclaveSealingException(
                $"Cannot seal or unseal under the cvm profile (policy {header.PolicyName}): EnclaveGen has no sealing key bound to the confidential VM's hardware. " +
                "SEV-SNP's derived key (MSG_KEY_REQ through /dev/sev-guest) and a key provisioned after attestation are not built, and TDX has no derived key; " +
                "the emulated platform's key is not used in its place. Provision the data or a key to the enclave over an attested channel, or seal under an emulated profile for tests (docs/profiles.md).",
                SealingFailure.NoHardwareKey,
                header.Policy,
                expected: "a hardware-bound sealing key",
                actual: "none under the cvm profile");
        }

        Span<byte> info = stackalloc byte[KeyLabel.Length + 1 + 1 + EnclaveHash.Length + 2 + 2];
        KeyLabel.CopyTo(info);
        int at = KeyLabel.Length;
        info[at++] = (byte)header.Policy;
        info[at++] = header.SealedByDebugEnclave ? SealedBlobHeader.DebugFlag : (byte)0;
        header.Identity.AsSpan().CopyTo(info[at..]);
        at += EnclaveHash.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(info[at..], header.ProductId);
        BinaryPrimitives.WriteUInt16LittleEndian(info[(at + 2)..], header.SecurityVersion);
        _platform.DeriveKey(header.KeyId, info, key);
    }

    // The whole header is authenticated with the caller's data, so no header field can be changed unnoticed.
    private static byte[] Associate(ReadOnlySpan<byte> header, ReadOnlySpan<byte> additionalData)
    {
        byte[] associated = new byte[header.Length + additionalData.Length];
        header.CopyTo(associated);
        additionalData.CopyTo(associated.AsSpan(header.Length));
        return associated;
    }
}
