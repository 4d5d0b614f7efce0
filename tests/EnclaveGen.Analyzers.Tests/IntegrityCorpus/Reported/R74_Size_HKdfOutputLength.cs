// Expect: EG6002 at line 25
// EG6002: the output length of HKDF from the host
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
public partial class Deriver
{
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public int Derive()
    {
        byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, GetLength()); // <- EG6002
        return okm.Length;
    }

    [Untrusted] private static partial int GetLength();
}

partial class Deriver
{
    private static partial int GetLength() => throw new NotSupportedException("the host's side");
}
