// Expect: EG6003 at line 21
// EG6003: HMACSHA384.HashData keyed by the host
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
public partial class Signer
{
    [Trusted]
    public byte[] Sign(byte[] data) => HMACSHA384.HashData(FetchKey(), data); // <- EG6003

    [Untrusted] private static partial byte[] FetchKey();
}

partial class Signer
{
    private static partial byte[] FetchKey() => throw new NotSupportedException("the host's side");
}
