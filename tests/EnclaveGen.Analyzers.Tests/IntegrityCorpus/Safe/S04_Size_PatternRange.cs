// Expect: none
// safe: a relational pattern rules out every size outside the enclave's range
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
    private const int MaxWidth = 4_096;

    [Trusted]
    public int Build()
    {
        int width = HostWidth();
        if (width is < 1 or > MaxWidth)
        {
            return 0;
        }

        var cells = new double[width];
        return cells.Length;
    }

    [Untrusted] private static partial int HostWidth();
}

partial class Grid
{
    private static partial int HostWidth() => throw new NotSupportedException("the host's side");
}
