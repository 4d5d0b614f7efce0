// Expect: EG6002 at line 26
// EG6002: a count field of JSON the host returned sizes an array
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

public sealed record Request(int Count, string Name);

[Enclave]
public partial class Inbox
{
    [Trusted]
    public int Prepare()
    {
        Request request = JsonSerializer.Deserialize<Request>(FetchRequest())!;
        var slots = new string[request.Count]; // <- EG6002
        return slots.Length;
    }

    [Untrusted] private static partial byte[] FetchRequest();
}

partial class Inbox
{
    private static partial byte[] FetchRequest() => throw new NotSupportedException("the host's side");
}
