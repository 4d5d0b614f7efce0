// Expect: none
// safe: the ledger the host stores comes back sealed and is unsealed before use
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
        _ledger = EnclaveSealing.Unseal(LoadLedger());
        return _ledger.Length;
    }

    [Trusted]
    public byte[] Persist() => EnclaveSealing.Seal(_ledger, SealingPolicy.MrEnclave);

    [Untrusted] private static partial byte[] LoadLedger();
}

partial class Wallet
{
    private static partial byte[] LoadLedger() => throw new NotSupportedException("the host's side");
}
