using System.Security.Cryptography;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// Stands where the enclave would: a transport that holds the boundary key, opens each sealed
/// ECALL request the generated proxy sends, records its plaintext payload, and refuses to go
/// further. The payloads are exactly what the proxy writes, so they seed the fuzzer with valid
/// messages for every signature without a second encoder to keep in step with the generator.
/// </summary>
internal sealed class PayloadRecorder : IEnclaveTransport
{
    private readonly SlotChannel[] _channels;
    private readonly IBoundaryAead _aead;
    private readonly WireReader _reader = new();

    private PayloadRecorder(ReadOnlySpan<byte> key, int slots, int maxMessageBytes)
    {
        _aead = BoundaryAead.Create(key);
        _channels = new SlotChannel[slots];
        for (int i = 0; i < slots; i++)
        {
            // The enclave's end of the slot: it receives what the host sends.
            _channels[i] = new SlotChannel(_aead, BoundaryDirection.EnclaveToHost, i, maxMessageBytes);
        }
    }

    /// <summary>Every request seen, in order: the method ID and the decrypted payload.</summary>
    public List<(uint MethodId, byte[] Payload)> Captured { get; } = [];

    /// <summary>A host connection whose every ECALL ends in this recorder.</summary>
    public static (EnclaveConnection Connection, PayloadRecorder Recorder) Connect(EnclaveDescriptor descriptor)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        EnclaveOptions options = EnclaveOptions.Default;
        PayloadRecorder? recorder = null;
        EnclaveConnection connection = new(
            descriptor,
            EnclaveIdentity.CreateForTesting(descriptor.EnclaveTypeName, EnclaveHash.Compute("fuzz"u8), EnclaveHash.Compute("fuzz"u8)),
            new NoHost(),
            key,
            options,
            _ => recorder = new PayloadRecorder(key, descriptor.MaxThreads, options.MaxMessageBytes));
        CryptographicOperations.ZeroMemory(key);
        return (connection, recorder!);
    }

    public ReadOnlyMemory<byte> Enter(int slot, ReadOnlyMemory<byte> request)
    {
        Record(slot, request);
        throw new RecordedException();
    }

    public ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slot, ReadOnlyMemory<byte> request)
    {
        Record(slot, request);
        return ValueTask.FromException<ReadOnlyMemory<byte>>(new RecordedException());
    }

    public void Halt(string reason)
    {
    }

    public void Dispose() => _aead.Dispose();

    private void Record(int slot, ReadOnlyMemory<byte> request)
    {
        MessageHeader header = _channels[slot].Open(request, _reader);
        Assert.Equal(MessageKind.EcallRequest, header.Kind);
        Captured.Add((header.MethodId, _reader.TakeRemaining().ToArray()));
    }

    /// <summary>Thrown back to the proxy once its request is recorded: no enclave answers it.</summary>
    internal sealed class RecordedException() : Exception("recorded");

    /// <summary>The recorder never runs an enclave, so no OCALL ever reaches the host.</summary>
    private sealed class NoHost : IUntrustedDispatcher
    {
        public void Dispatch(uint methodId, WireReader arguments, WireWriter results) => throw new InvalidOperationException("no OCALLs while recording");

        public ValueTask DispatchAsync(uint methodId, WireReader arguments, WireWriter results) => throw new InvalidOperationException("no OCALLs while recording");
    }
}
