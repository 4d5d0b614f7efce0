// Expect: EG6004 at line 27
// EG6004: a counter decoded from an [Out] buffer the host filled
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
public partial class Meter
{
    private int _used;

    [Trusted]
    public int Resume()
    {
        var buffer = new byte[4];
        ReadCheckpoint(buffer);
        _used = BitConverter.ToInt32(buffer); // <- EG6004
        return _used;
    }

    [Untrusted] private static partial void ReadCheckpoint([Out] byte[] buffer);
}

partial class Meter
{
    private static partial void ReadCheckpoint(byte[] buffer) => throw new NotSupportedException("the host's side");
}
