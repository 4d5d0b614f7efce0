// Expect: EG6003 at line 26, EG6004 at line 26
// EG6003: the PBKDF2 salt comes from the host, which can then reuse precomputed tables
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
public partial class PasswordVault
{
    [Secret] private byte[] _verifier = [];

    [Trusted]
    public void Enroll([Secret] string password)
    {
        byte[] salt = StoredSalt();
        _verifier = Rfc2898DeriveBytes.Pbkdf2(password, salt, 210_000, HashAlgorithmName.SHA256, 32); // <- EG6003 EG6004
    }

    [Untrusted] private static partial byte[] StoredSalt();
}

partial class PasswordVault
{
    private static partial byte[] StoredSalt() => throw new NotSupportedException("the host's side");
}
