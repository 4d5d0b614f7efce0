// Expect: EG6002 at line 26
// EG6002: LINQ builds as many slots as the host asks for
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

public readonly record struct Slot(int Index, bool Free);

[Enclave]
public partial class SlotTable
{
    [Trusted]
    public int Reserve()
    {
        int wanted = RequestedSlots();
        Slot[] slots = Enumerable.Range(0, wanted).Select(i => new Slot(i, true)).ToArray(); // <- EG6002
        return slots.Count(s => s.Free);
    }

    [Untrusted] private static partial int RequestedSlots();
}

partial class SlotTable
{
    private static partial int RequestedSlots() => throw new NotSupportedException("the host's side");
}
