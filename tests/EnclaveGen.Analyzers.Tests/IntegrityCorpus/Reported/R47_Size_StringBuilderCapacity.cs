// Expect: EG6002 at line 23
// EG6002: the host's estimate becomes a StringBuilder capacity
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
public partial class Reporter
{
    [Trusted]
    public string Render(IReadOnlyList<string> lines)
    {
        var sb = new StringBuilder(EstimatedLength()); // <- EG6002
        foreach (string line in lines)
        {
            sb.AppendLine(line);
        }

        return sb.ToString();
    }

    [Untrusted] private static partial int EstimatedLength();
}

partial class Reporter
{
    private static partial int EstimatedLength() => throw new NotSupportedException("the host's side");
}
