// Expect: none
// safe: a host statistic kept as a number for display is not state loaded from host bytes
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
public partial class Dashboard
{
    private int _lastQueueLength;

    [Trusted]
    public string Refresh()
    {
        _lastQueueLength = QueueLength();
        return $"queue: {_lastQueueLength}";
    }

    [Untrusted] private static partial int QueueLength();
}

partial class Dashboard
{
    private static partial int QueueLength() => throw new NotSupportedException("the host's side");
}
