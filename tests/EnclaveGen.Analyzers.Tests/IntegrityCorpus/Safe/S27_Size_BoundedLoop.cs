// Expect: none
// safe: the loop runs at most the enclave's limit, whatever the host reports
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
    private const int MaxRounds = 10_000;

    [Trusted]
    public int Stretch(byte[] input)
    {
        byte[] state = SHA256.HashData(input);
        int rounds = Math.Min(ConfiguredRounds(), MaxRounds);
        for (int i = 0; i < rounds; i++)
        {
            state = SHA256.HashData(state);
        }

        return state[0];
    }

    [Untrusted] private static partial int ConfiguredRounds();
}

partial class Stretcher
{
    private static partial int ConfiguredRounds() => throw new NotSupportedException("the host's side");
}
