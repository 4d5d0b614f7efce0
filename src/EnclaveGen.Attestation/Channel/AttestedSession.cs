using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Channel;

/// <summary>
/// One side of an attested channel: AES-256-GCM records, one key per direction, with 64-bit
/// sequence numbers. A record is <c>type (1) || sequence (8, big-endian) || ciphertext || tag (16)</c>;
/// the nonce is four zero bytes and the sequence, the associated data the type, the sequence and
/// the direction. The receiver accepts exactly the next sequence number, so a replayed, reordered,
/// dropped, truncated or altered record is refused with an <see cref="AttestedChannelException"/>,
/// after which the session refuses everything (as TLS does). The host that relays records sees
/// only ciphertext.
/// </summary>
/// <remarks>Not for concurrent use from several threads; use one session per conversation.</remarks>
public sealed class AttestedSession : IDisposable
{
    /// <summary>The bytes a record adds to its plaintext.</summary>
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>The largest plaintext of one record.</summary>
    public const int MaxPlaintextSize = 16 * 1024 * 1024;

    private const int HeaderSize = 9;
    private const int TagSize = 16;
    private const byte EnclaveToRelyingParty = 0x01;
    private const byte RelyingPartyToEnclave = 0x02;

    private readonly AesGcm _send;
    private readonly AesGcm _receive;
    private readonly byte _sendDirection;
    private readonly byte _receiveDirection;
    private ulong _sendSequence;
    private ulong _receiveSequence;
    private bool _sentClose;
    private bool _failed;
    private bool _disposed;

    private AttestedSession(byte[] sendKey, byte[] receiveKey, bool isEnclave, byte[] channelBinding)
    {
        _send = new AesGcm(sendKey, TagSize);
        _receive = new AesGcm(receiveKey, TagSize);
        CryptographicOperations.ZeroMemory(sendKey);
        CryptographicOperations.ZeroMemory(receiveKey);
        _sendDirection = isEnclave ? EnclaveToRelyingParty : RelyingPartyToEnclave;
        _receiveDirection = isEnclave ? RelyingPartyToEnclave : EnclaveToRelyingParty;
        ChannelBinding = channelBinding;
    }

    /// <summary>True once the peer's close record has been received.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>SHA-256 of the handshake transcript; both sides compute the same value.</summary>
    public ReadOnlyMemory<byte> ChannelBinding { get; }

    /// <summary>Encrypts <paramref name="plaintext"/> into the next data record.</summary>
    /// <exception cref="InvalidOperationException">This side already sent its close record, or the session failed.</exception>
    public byte[] Seal(ReadOnlySpan<byte> plaintext) => SealRecord(ChannelRecordType.Data, plaintext);

    /// <summary>Makes this side's close record; nothing can be sent after it.</summary>
    public byte[] SealClose() => SealRecord(ChannelRecordType.Close, []);

    /// <summary>
    /// Checks and decrypts the next record from the peer. Returns the plaintext (empty for the close
    /// record, after which <see cref="PeerClosed"/> is true).
    /// </summary>
    /// <exception cref="AttestedChannelException">The record is truncated, out of sequence (replayed, reordered or after a dropped one), altered, of an unknown type, or comes after the close record or a failure.</exception>
    public byte[] Open(ReadOnlySpan<byte> record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new AttestedChannelException("channel.failed", "an earlier record was rejected; the session accepts nothing more");
        }

        if (PeerClosed)
        {
            Fail();
            throw new AttestedChannelException("channel.closed", "a record arrived after the peer's close record");
        }

        if (record.Length < Overhead)
        {
            Fail();
            throw new AttestedChannelException("channel.truncated", $"a record is at least {Overhead} bytes (type, sequence, tag); this one is {record.Length}");
        }

        if (record.Length - Overhead > MaxPlaintextSize)
        {
            Fail();
            throw new AttestedChannelException("channel.size", $"a record carries at most {MaxPlaintextSize} bytes; this one claims {record.Length - Overhead}");
        }

        byte type = record[0];
        if (type is not ((byte)ChannelRecordType.Data or (byte)ChannelRecordType.Close))
        {
            Fail();
            throw new AttestedChannelException("channel.recordType", $"unknown record type {type}; expected {(byte)ChannelRecordType.Data} (data) or {(byte)ChannelRecordType.Close} (close)");
        }

        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(record[1..]);
        if (sequence != _receiveSequence)
        {
            Fail();
            string what = sequence < _receiveSequence ? "a replayed or reordered record" : "a record after a missing one (dropped or reordered)";
            throw new AttestedChannelException("channel.sequence", $"{what}: expected sequence number {_receiveSequence}, found {sequence}");
        }

        ReadOnlySpan<byte> ciphertext = record[HeaderSize..^TagSize];
        byte[] plaintext = new byte[ciphertext.Length];
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[HeaderSize + 1];
        BuildNonceAndAad(type, sequence, _receiveDirection, nonce, aad);
        try
        {
            _receive.Decrypt(nonce, ciphertext, record[^TagSize..], plaintext, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            Fail();
            throw new AttestedChannelException("channel.authentication", "the record's authentication tag does not match: it was altered, or the two sides do not share a key (a substituted key)");
        }

        _receiveSequence++;
        if (type == (byte)ChannelRecordType.Close)
        {
            if (plaintext.Length != 0)
            {
                Fail();
                throw new AttestedChannelException("channel.recordType", "a close record carries no data");
            }

            PeerClosed = true;
        }

        return plaintext;
    }

    /// <summary>Releases the keys.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _send.Dispose();
            _receive.Dispose();
        }
    }

    internal static AttestedSession Create(ECDiffieHellman own, ReadOnlySpan<byte> ownPublic, ReadOnlySpan<byte> peerPublic, bool isEnclave, ReadOnlySpan<byte> nonce)
    {
        ReadOnlySpan<byte> enclavePublic = isEnclave ? ownPublic : peerPublic;
        ReadOnlySpan<byte> relyingPartyPublic = isEnclave ? peerPublic : ownPublic;
        using ECDiffieHellman peer = ChannelKeys.ImportPublic(peerPublic);
        byte[] shared = own.DeriveRawSecretAgreement(peer.PublicKey);
        try
        {
            byte[] transcript = SHA256.HashData([.. "EnclaveGen attested channel v1"u8, .. enclavePublic, .. relyingPartyPublic, (byte)nonce.Length, .. nonce]);
            byte[] enclaveToRelyingParty = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, transcript, "enclave to relying party"u8.ToArray());
            byte[] relyingPartyToEnclave = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, transcript, "relying party to enclave"u8.ToArray());
            return isEnclave
                ? new AttestedSession(enclaveToRelyingParty, relyingPartyToEnclave, isEnclave, transcript)
                : new AttestedSession(relyingPartyToEnclave, enclaveToRelyingParty, isEnclave, transcript);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private byte[] SealRecord(ChannelRecordType type, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed || _sentClose)
        {
            throw new InvalidOperationException(_failed ? "The session failed; open a new channel." : "This side already sent its close record.");
        }

        if (plaintext.Length > MaxPlaintextSize)
        {
            throw new ArgumentException($"A record carries at most {MaxPlaintextSize} bytes.", nameof(plaintext));
        }

        byte[] record = new byte[Overhead + plaintext.Length];
        record[0] = (byte)type;
        BinaryPrimitives.WriteUInt64BigEndian(record.AsSpan(1), _sendSequence);
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[HeaderSize + 1];
        BuildNonceAndAad((byte)type, _sendSequence, _sendDirection, nonce, aad);
        _send.Encrypt(nonce, plaintext, record.AsSpan(HeaderSize, plaintext.Length), record.AsSpan(record.Length - TagSize), aad);
        _sendSequence++;
        if (type == ChannelRecordType.Close)
        {
            _sentClose = true;
        }

        return record;
    }

    private static void BuildNonceAndAad(byte type, ulong sequence, byte direction, Span<byte> nonce, Span<byte> aad)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], sequence);
        aad[0] = type;
        BinaryPrimitives.WriteUInt64BigEndian(aad[1..], sequence);
        aad[9] = direction;
    }

    private void Fail() => _failed = true;
}
