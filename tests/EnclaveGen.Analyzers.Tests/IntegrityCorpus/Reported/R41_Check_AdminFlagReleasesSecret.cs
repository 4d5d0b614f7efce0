// Expect: EG6001 at line 27
// EG6001: the host says whether the caller is an administrator, and the enclave releases its key
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
public partial class KeyEscrow
{
    [Secret] private readonly byte[] _escrowKey = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public byte[] Recover(string user)
    {
        if (IsAdministrator(user))
        {
            return Secrets.Declassify(_escrowKey, "administrators may recover the key"); // <- EG6001
        }

        return [];
    }

    [Untrusted] private static partial bool IsAdministrator(string user);
}

partial class KeyEscrow
{
    private static partial bool IsAdministrator(string user) => throw new NotSupportedException("the host's side");
}
