// Expect: EG6002 at line 23
// EG6002: a set's capacity from the host
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
public partial class Seen
{
    [Trusted]
    public int Build()
    {
        var set = new HashSet<int>(GetCount()); // <- EG6002
        return set.Count;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Seen
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
