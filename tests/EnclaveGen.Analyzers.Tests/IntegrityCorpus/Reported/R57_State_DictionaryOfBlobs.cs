// Expect: EG6004 at line 25
// EG6004: blobs the host returns kept in a dictionary field
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
public partial class Cache
{
    private readonly Dictionary<string, byte[]> _blobs = new();

    [Trusted]
    public int Load(string key)
    {
        _blobs[key] = LoadBlob(key); // <- EG6004
        return _blobs.Count;
    }

    [Untrusted] private static partial byte[] LoadBlob(string key);
}

partial class Cache
{
    private static partial byte[] LoadBlob(string key) => throw new NotSupportedException("the host's side");
}
