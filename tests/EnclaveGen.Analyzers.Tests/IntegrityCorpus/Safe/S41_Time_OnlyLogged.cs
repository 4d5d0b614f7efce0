// Expect: none
// a host time is only passed back out, deciding nothing
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
public partial class Clock
{
    [Trusted]
    public string Stamp(string message) => message + " at " + HostNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    [Untrusted] private static partial DateTime HostNow();
}

partial class Clock
{
    private static partial DateTime HostNow() => throw new NotSupportedException("the host's side");
}
