// Expect: EG6002 at line 24
// EG6002: an ECALL's iteration count drives a loop without a bound
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
public partial class Chain
{
    [Trusted]
    public string Derive(string seed, int generations)
    {
        var sb = new StringBuilder(seed);
        for (int g = 0; g < generations; g++) // <- EG6002
        {
            sb.Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..8]);
        }

        return sb.ToString();
    }
}
