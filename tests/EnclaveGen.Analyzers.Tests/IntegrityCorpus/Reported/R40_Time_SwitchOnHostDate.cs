// Expect: EG6005 at line 24
// EG6005: a switch on the host's date decides which key generation is current
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
public partial class KeySchedule
{
    [Trusted]
    public int CurrentGeneration()
    {
        DateTime today = HostDate();
        return today.Year switch // <- EG6005
        {
            < 2026 => 1,
            2026 => 2,
            _ => 3,
        };
    }

    [Untrusted] private static partial DateTime HostDate();
}

partial class KeySchedule
{
    private static partial DateTime HostDate() => throw new NotSupportedException("the host's side");
}
