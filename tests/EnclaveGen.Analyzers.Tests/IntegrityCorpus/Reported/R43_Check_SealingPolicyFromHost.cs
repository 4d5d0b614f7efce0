// Expect: EG6001 at line 24
// EG6001: the host chooses the sealing policy (MRSIGNER lets any enclave of the signer unseal)
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
public partial class Archive
{
    [Trusted]
    public byte[] Store([Secret] byte[] record)
    {
        SealingPolicy policy = PreferredPolicy();
        return EnclaveSealing.Seal(record, policy); // <- EG6001
    }

    [Untrusted] private static partial SealingPolicy PreferredPolicy();
}

partial class Archive
{
    private static partial SealingPolicy PreferredPolicy() => throw new NotSupportedException("the host's side");
}
