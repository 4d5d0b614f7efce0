// Expect: none
// a count field of host JSON clamped before it sizes an array
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
        int count = Math.Clamp(request.Count, 0, 64);
        var slots = new string[count];
        return slots.Length;
    }

    [Untrusted] private static partial byte[] FetchRequest();
}

partial class Inbox
{
    private static partial byte[] FetchRequest() => throw new NotSupportedException("the host's side");
}
