// Expect: EG6005 at line 24
// EG6005: the year of a DateTime the host returned decides a branch
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
public partial class Calendar
{
    [Trusted]
    public int Quarter()
    {
        DateTime now = HostNow();
        if (now.Year > 2030) // <- EG6005
        {
            return 0;
        }

        return (now.Month - 1) / 3 + 1;
    }

    [Untrusted] private static partial DateTime HostNow();
}

partial class Calendar
{
    private static partial DateTime HostNow() => throw new NotSupportedException("the host's side");
}
