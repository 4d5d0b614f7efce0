// Expect: EG3002 at line 31
// TryGetValue hands out the stored object; mutating it changes the dictionary
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    private readonly Dictionary<int, List<string>> _notes = new() { [1] = [] };

    [Trusted]
    public void Note(int id, [Secret] string text)
    {
        if (_notes.TryGetValue(id, out List<string>? list))
        {
            list.Add(text);
        }
    }

    [Trusted]
    public string All(int id) => string.Join("\n", _notes[id]); // <- EG3002

    [Untrusted] private static partial void Audit(string user, string detail);
    [Untrusted] private static partial void Send(int value);
    [Untrusted] private static partial void SendBytes(byte[] data);
    [Untrusted] private static partial void Publish(string text);
}

partial class Vault
{
    private static partial void Audit(string user, string detail) { }
    private static partial void Send(int value) { }
    private static partial void SendBytes(byte[] data) { }
    private static partial void Publish(string text) { }
}
