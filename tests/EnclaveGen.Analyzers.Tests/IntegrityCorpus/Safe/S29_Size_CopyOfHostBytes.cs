// Expect: none
// safe: a copy as long as host bytes already in the enclave is bounded by what was copied in
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
public partial class Mirror
{
    [Trusted]
    public int Copy()
    {
        byte[] blob = FetchBlob();
        var copy = new byte[blob.Length];
        blob.CopyTo(copy, 0);
        return copy.Length;
    }

    [Untrusted] private static partial byte[] FetchBlob();
}

partial class Mirror
{
    private static partial byte[] FetchBlob() => throw new NotSupportedException("the host's side");
}
