// Expect: EG6002 at line 23
// EG6002: random bytes of a count the host chose
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
public partial class Nonces
{
    [Trusted]
    public int Make()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(GetCount()); // <- EG6002
        return bytes.Length;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Nonces
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
