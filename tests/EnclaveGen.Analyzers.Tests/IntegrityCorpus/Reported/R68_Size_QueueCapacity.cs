// Expect: EG6002 at line 23
// EG6002: a queue's capacity from the host
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
public partial class Jobs
{
    [Trusted]
    public int Build()
    {
        var queue = new Queue<string>(GetCount()); // <- EG6002
        return queue.Count;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Jobs
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
