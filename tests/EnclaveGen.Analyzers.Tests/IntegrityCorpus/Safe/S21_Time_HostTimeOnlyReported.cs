// Expect: none
// safe: the host's time is only echoed back in a status line, never decides anything
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
public partial class Status
{
    private int _requests;

    [Trusted]
    public string Describe()
    {
        _requests++;
        long hostTime = GetUnixTimeMilliseconds();
        return $"{_requests} requests; host time {hostTime}";
    }

    [Untrusted] private static partial long GetUnixTimeMilliseconds();
}

partial class Status
{
    private static partial long GetUnixTimeMilliseconds() => throw new NotSupportedException("the host's side");
}
