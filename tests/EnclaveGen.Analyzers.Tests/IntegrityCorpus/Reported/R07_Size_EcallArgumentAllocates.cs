// Expect: EG6002 at line 23
// EG6002: an ECALL's own number is an input by design, but a size it claims still needs a bound
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
public partial class Sampler
{
    [Trusted]
    public byte[] Sample(int size)
    {
        var buffer = new byte[size]; // <- EG6002
        RandomNumberGenerator.Fill(buffer);
        return buffer;
    }
}
