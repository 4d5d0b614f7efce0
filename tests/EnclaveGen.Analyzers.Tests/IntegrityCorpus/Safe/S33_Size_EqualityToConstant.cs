// Expect: none
// safe: a size that must equal a constant is bounded by it
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
public partial class KeyImport
{
    [Trusted]
    public int Import()
    {
        int length = AnnouncedKeyLength();
        if (length != 32)
        {
            throw new InvalidOperationException($"The announced key length is {length}; expected 32.");
        }

        var buffer = new byte[length];
        return buffer.Length;
    }

    [Untrusted] private static partial int AnnouncedKeyLength();
}

partial class KeyImport
{
    private static partial int AnnouncedKeyLength() => throw new NotSupportedException("the host's side");
}
