// Expect: none
// a host status string is returned as it is, deciding nothing
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
    [Trusted]
    public string Describe() => "host says: " + GetStatus();

    [Untrusted] private static partial string GetStatus();
}

partial class Status
{
    private static partial string GetStatus() => throw new NotSupportedException("the host's side");
}
