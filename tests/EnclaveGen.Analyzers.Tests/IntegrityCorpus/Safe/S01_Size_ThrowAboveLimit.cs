// Expect: none
// safe: the host's count is checked against a limit the enclave owns before it sizes anything
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
public partial class RecordStore
{
    private const int MaxRecords = 1_024;
    private const int RecordSize = 64;

    [Trusted]
    public int LoadPage()
    {
        int count = PendingRecords();
        if (count < 0 || count > MaxRecords)
        {
            throw new InvalidOperationException($"The host reported {count} pending records; expected 0 to {MaxRecords}.");
        }

        var page = new byte[count * RecordSize];
        return page.Length / RecordSize;
    }

    [Untrusted] private static partial int PendingRecords();
}

partial class RecordStore
{
    private static partial int PendingRecords() => throw new NotSupportedException("the host's side");
}
