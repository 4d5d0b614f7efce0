// Expect: EG6002 at line 26
// EG6002: the host says how many records follow and the enclave allocates that many bytes
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
    private const int RecordSize = 64;

    [Trusted]
    public int LoadPage()
    {
        int count = PendingRecords();
        var page = new byte[count * RecordSize]; // <- EG6002
        FetchInto(page);
        return page.Length / RecordSize;
    }

    [Untrusted] private static partial int PendingRecords();
    [Untrusted] private static partial void FetchInto([Out] byte[] page);
}

partial class RecordStore
{
    private static partial int PendingRecords() => throw new NotSupportedException("the host's side");
    private static partial void FetchInto(byte[] page) => throw new NotSupportedException("the host's side");
}
