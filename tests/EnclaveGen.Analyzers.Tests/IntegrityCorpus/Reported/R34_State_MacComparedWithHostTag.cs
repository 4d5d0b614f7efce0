// Expect: EG6004 at line 33
// EG6004: comparing two values the host sent proves nothing; the state is still the host's
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
public partial class Journal
{
    private byte[] _entries = [];

    [Trusted]
    public bool Load()
    {
        byte[] blob = LoadJournal();
        byte[] claimed = LoadJournalTag();
        byte[] digest = SHA256.HashData(blob);
        if (!CryptographicOperations.FixedTimeEquals(digest, claimed))
        {
            return false;
        }

        _entries = blob; // <- EG6004
        return true;
    }

    [Untrusted] private static partial byte[] LoadJournal();
    [Untrusted] private static partial byte[] LoadJournalTag();
}

partial class Journal
{
    private static partial byte[] LoadJournal() => throw new NotSupportedException("the host's side");
    private static partial byte[] LoadJournalTag() => throw new NotSupportedException("the host's side");
}
