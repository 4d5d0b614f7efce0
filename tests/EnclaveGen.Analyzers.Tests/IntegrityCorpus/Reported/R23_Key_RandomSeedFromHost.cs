// Expect: EG6003 at line 23
// EG6003: a generator seeded by the host produces numbers the host can predict
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
public partial class Lottery
{
    [Trusted]
    public int Draw(int players)
    {
        var random = new Random(HostSeed()); // <- EG6003
        return random.Next(Math.Min(players, 1000));
    }

    [Untrusted] private static partial int HostSeed();
}

partial class Lottery
{
    private static partial int HostSeed() => throw new NotSupportedException("the host's side");
}
