// Expect: EG6002 at line 30
// EG6002: a check against a limit the host also chose bounds nothing
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
public partial class Uploader
{
    [Trusted]
    public int Accept()
    {
        int size = DeclaredSize();
        int max = DeclaredMaximum();
        if (size > max)
        {
            throw new InvalidOperationException($"Upload of {size} bytes exceeds {max}.");
        }

        var chunk = new byte[size]; // <- EG6002
        return chunk.Length;
    }

    [Untrusted] private static partial int DeclaredSize();
    [Untrusted] private static partial int DeclaredMaximum();
}

partial class Uploader
{
    private static partial int DeclaredSize() => throw new NotSupportedException("the host's side");
    private static partial int DeclaredMaximum() => throw new NotSupportedException("the host's side");
}
