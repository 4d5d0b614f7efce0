// Expect: EG6002 at line 26
// EG6002: a pattern that only rules out zero and negatives leaves the size unbounded
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
public partial class Grid
{
    [Trusted]
    public int Build()
    {
        int width = HostWidth();
        if (width is > 0)
        {
            var cells = new double[width]; // <- EG6002
            return cells.Length;
        }

        return 0;
    }

    [Untrusted] private static partial int HostWidth();
}

partial class Grid
{
    private static partial int HostWidth() => throw new NotSupportedException("the host's side");
}
