// Expect: EG6003 at line 23
// EG6003: an incremental HMAC keyed by bytes the host returned
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
public partial class LogChain
{
    [Trusted]
    public string Seal(IReadOnlyList<string> entries)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, ChainKey()); // <- EG6003
        foreach (string entry in entries)
        {
            hmac.AppendData(Encoding.UTF8.GetBytes(entry));
        }

        return Convert.ToHexString(hmac.GetHashAndReset());
    }

    [Untrusted] private static partial byte[] ChainKey();
}

partial class LogChain
{
    private static partial byte[] ChainKey() => throw new NotSupportedException("the host's side");
}
