// Expect: EG6002 at line 31
// EG6002: a length field in a header record the host returns sizes the buffer
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
    [Trusted]
    public int ReadBlob()
    {
        BlobHeader header = ReadHeader();
        if (header.Version != 2)
        {
            return -1;
        }

        byte[] body = new byte[header.Length]; // <- EG6002
        return body.Length;
    }

    [Untrusted] private static partial BlobHeader ReadHeader();
}

partial class BlobReader
{
    private static partial BlobHeader ReadHeader() => throw new NotSupportedException("the host's side");
}
