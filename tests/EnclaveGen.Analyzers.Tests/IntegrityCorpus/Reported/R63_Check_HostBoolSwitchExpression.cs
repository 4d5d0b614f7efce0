// Expect: EG6001 at line 25
// EG6001: a switch expression on the host's answer decides a release
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
public partial class Escrow
{
    [Secret] private readonly int _pin = 4711;

    [Trusted]
    public int Reveal(string user) => IsOwner(user) switch
    {
        true => Secrets.Declassify(_pin, "owners may see the pin"), // <- EG6001
        false => 0,
    };

    [Untrusted] private static partial bool IsOwner(string user);
}

partial class Escrow
{
    private static partial bool IsOwner(string user) => throw new NotSupportedException("the host's side");
}
