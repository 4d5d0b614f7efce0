// Expect: none
// safe: the salt is generated inside; only the password came in through the ECALL
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
    private byte[] _salt = [];

    [Trusted]
    public void Enroll([Secret] string password)
    {
        _salt = RandomNumberGenerator.GetBytes(16);
        _verifier = Rfc2898DeriveBytes.Pbkdf2(password, _salt, 210_000, HashAlgorithmName.SHA256, 32);
    }
}
