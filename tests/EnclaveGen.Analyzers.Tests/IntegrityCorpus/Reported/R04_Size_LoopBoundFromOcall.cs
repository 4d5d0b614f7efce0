// Expect: EG6002 at line 27
// EG6002: the number of iterations of a hashing loop comes from the host
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
public partial class Stretcher
{
    [Secret] private readonly byte[] _pepper = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public int Stretch(byte[] input)
    {
        byte[] state = SHA256.HashData(input.Concat(_pepper).ToArray());
        int rounds = ConfiguredRounds();
        for (int i = 0; i < rounds; i++) // <- EG6002
        {
            state = SHA256.HashData(state);
        }

        return Secrets.Declassify(state[0], "one byte of a stretched digest is public here");
    }

    [Untrusted] private static partial int ConfiguredRounds();
}

partial class Stretcher
{
    private static partial int ConfiguredRounds() => throw new NotSupportedException("the host's side");
}
