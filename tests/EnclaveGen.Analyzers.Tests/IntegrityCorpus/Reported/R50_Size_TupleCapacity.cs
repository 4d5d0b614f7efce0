// Expect: EG6002 at line 24
// EG6002: one element of a tuple the host returned is a list capacity
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
public partial class Planner
{
    [Trusted]
    public int Plan()
    {
        var (count, _) = GetInfo();
        var steps = new List<int>(count); // <- EG6002
        return steps.Capacity;
    }

    [Untrusted] private static partial (int Count, string Name) GetInfo();
}

partial class Planner
{
    private static partial (int Count, string Name) GetInfo() => throw new NotSupportedException("the host's side");
}
