// Expect: none
// a capacity clamped before use
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
public partial class Index
{
    [Trusted]
    public int Build()
    {
        int count = Math.Min(GetCount(), 1024);
        var map = new Dictionary<string, int>(count);
        return map.Count;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Index
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
