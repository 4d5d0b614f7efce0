// Expect: EG6002 at line 24
// EG6002: renting from the pool with a host length still allocates that much
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
public partial class Compressor
{
    [Trusted]
    public int Inflate()
    {
        int declared = DeclaredInflatedLength();
        byte[] rented = ArrayPool<byte>.Shared.Rent(declared); // <- EG6002
        try
        {
            return rented.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Untrusted] private static partial int DeclaredInflatedLength();
}

partial class Compressor
{
    private static partial int DeclaredInflatedLength() => throw new NotSupportedException("the host's side");
}
