// Expect: none
// an ECALL's count bounded by a relational pattern before the allocation
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
public partial class Pool
{
    [Trusted]
    public int Allocate(int count)
    {
        if (count is > 0 and <= 64)
        {
            return new int[count].Length;
        }

        return 0;
    }


}

partial class Pool
{

}
