// Expect: none
// safe: a [HostDataValidator] that throws on bad data vouches for the snapshot after it returns
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
public partial class Catalog
{
    [Secret] private readonly byte[] _indexKey = RandomNumberGenerator.GetBytes(32);
    private byte[] _index = [];

    [Trusted]
    public int Warm()
    {
        byte[] index = ReadIndex();
        EnsureAuthentic(index);
        _index = index;
        return _index.Length;
    }

    [HostDataValidator]
    private void EnsureAuthentic(byte[] blob)
    {
        if (blob.Length < 32)
        {
            throw new InvalidOperationException($"The index is {blob.Length} bytes; expected at least 32 (a MAC and a body).");
        }

        byte[] expected = HMACSHA256.HashData(_indexKey, blob.AsSpan(32));
        if (!CryptographicOperations.FixedTimeEquals(expected, blob.AsSpan(0, 32)))
        {
            throw new InvalidOperationException("The index's MAC does not match; reload it from a sealed copy.");
        }
    }

    [Untrusted] private static partial byte[] ReadIndex();
}

partial class Catalog
{
    private static partial byte[] ReadIndex() => throw new NotSupportedException("the host's side");
}
