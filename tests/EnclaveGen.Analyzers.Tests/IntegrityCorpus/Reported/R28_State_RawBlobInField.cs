// Expect: EG6004 at line 25
// EG6004: the enclave keeps bytes the host stored for it, as they came back
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
public partial class Wallet
{
    private byte[] _ledger = [];

    [Trusted]
    public int Restore()
    {
        _ledger = LoadLedger(); // <- EG6004
        return _ledger.Length;
    }

    [Untrusted] private static partial byte[] LoadLedger();
}

partial class Wallet
{
    private static partial byte[] LoadLedger() => throw new NotSupportedException("the host's side");
}
