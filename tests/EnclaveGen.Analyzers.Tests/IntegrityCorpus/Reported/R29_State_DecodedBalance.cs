// Expect: EG6004 at line 26
// EG6004: a balance decoded from host bytes becomes enclave state (the host can roll it back)
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
public partial class Account
{
    private long _balance;

    [Trusted]
    public long Restore()
    {
        byte[] snapshot = LoadSnapshot();
        _balance = BinaryPrimitives.ReadInt64LittleEndian(snapshot); // <- EG6004
        return _balance;
    }

    [Trusted]
    public long Withdraw(long amount) => _balance -= Math.Min(amount, _balance);

    [Untrusted] private static partial byte[] LoadSnapshot();
}

partial class Account
{
    private static partial byte[] LoadSnapshot() => throw new NotSupportedException("the host's side");
}
