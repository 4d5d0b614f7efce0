// Expect: none
// safe: an ECALL's count is checked against a quota the enclave holds
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
public partial class Quota
{
    private readonly int _quota = 512;

    [Trusted]
    public int Reserve(int count)
    {
        if (count > _quota)
        {
            return -1;
        }

        var reserved = new List<int>(count);
        reserved.AddRange(Enumerable.Range(0, count));
        return reserved.Count;
    }
}
