// Expect: none
// safe: the header's length field is checked before it sizes the body
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

public sealed record BlobHeader(int Length, int Version);

[Enclave]
public partial class BlobReader
{
    private const int MaxBody = 1 << 20;

    [Trusted]
    public int ReadBlob()
    {
        BlobHeader header = ReadHeader();
        if (header.Length > MaxBody)
        {
            throw new InvalidOperationException($"The blob header claims {header.Length} bytes; the limit is {MaxBody}.");
        }

        byte[] body = new byte[header.Length];
        return body.Length;
    }

    [Untrusted] private static partial BlobHeader ReadHeader();
}

partial class BlobReader
{
    private static partial BlobHeader ReadHeader() => throw new NotSupportedException("the host's side");
}
