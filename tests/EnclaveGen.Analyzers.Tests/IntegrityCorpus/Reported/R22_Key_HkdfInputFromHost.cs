// Expect: EG6003 at line 26, EG6004 at line 26
// EG6003: HKDF's input key material comes from the host, so the derived key is the host's
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
public partial class KeyLadder
{
    [Secret] private byte[] _sessionKey = [];

    [Trusted]
    public void Rotate(string label)
    {
        byte[] seed = RotationSeed();
        _sessionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, 32, salt: [], info: Encoding.UTF8.GetBytes(label)); // <- EG6003 EG6004
    }

    [Untrusted] private static partial byte[] RotationSeed();
}

partial class KeyLadder
{
    private static partial byte[] RotationSeed() => throw new NotSupportedException("the host's side");
}
