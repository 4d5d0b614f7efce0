// Expect: EG6004 at line 25
// EG6004: a static cache holds a snapshot the host handed back
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
    private static ReadOnlyMemory<byte> s_index;

    [Trusted]
    public int Warm()
    {
        s_index = ReadIndex(); // <- EG6004
        return s_index.Length;
    }

    [Untrusted] private static partial byte[] ReadIndex();
}

partial class Catalog
{
    private static partial byte[] ReadIndex() => throw new NotSupportedException("the host's side");
}
