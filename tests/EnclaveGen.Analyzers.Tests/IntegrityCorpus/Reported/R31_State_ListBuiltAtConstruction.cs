// Expect: EG6004 at line 28
// EG6004: entries decoded from host bytes are added to a list the enclave owns
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
public partial class Allowlist
{
    private readonly List<string> _entries = new();

    [Trusted]
    public int Import()
    {
        string text = Encoding.UTF8.GetString(ExportedList());
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _entries.Add(line.Trim()); // <- EG6004
        }

        return _entries.Count;
    }

    [Untrusted] private static partial byte[] ExportedList();
}

partial class Allowlist
{
    private static partial byte[] ExportedList() => throw new NotSupportedException("the host's side");
}
