// Expect: none
// safe: the snapshot's MAC is checked against one computed with the enclave's own key
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EnclaveGen;

namespace IntegrityCorpus;

[Enclave]
public partial class Account
{
    [Secret] private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);
    private long _balance;

    [Trusted]
    public long Restore()
    {
        byte[] snapshot = LoadSnapshot();
        byte[] tag = LoadSnapshotTag();
        byte[] expected = HMACSHA256.HashData(_macKey, snapshot);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
        {
            throw new InvalidOperationException("The snapshot's MAC does not match; the host changed it.");
        }

        _balance = BinaryPrimitives.ReadInt64LittleEndian(snapshot);
        return _balance;
    }

    [Untrusted] private static partial byte[] LoadSnapshot();
    [Untrusted] private static partial byte[] LoadSnapshotTag();
}

partial class Account
{
    private static partial byte[] LoadSnapshot() => throw new NotSupportedException("the host's side");
    private static partial byte[] LoadSnapshotTag() => throw new NotSupportedException("the host's side");
}
