// Expect: none
// safe: the authorization decision reads the enclave's own allowlist
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
    private readonly HashSet<string> _administrators = new(StringComparer.Ordinal) { "ops-1", "ops-2" };

    [Trusted]
    public byte[] Recover(string user)
    {
        if (!_administrators.Contains(user))
        {
            throw new UnauthorizedAccessException($"{user} is not an escrow administrator.");
        }

        return Secrets.Declassify(_escrowKey, "administrators may recover the key");
    }
}
