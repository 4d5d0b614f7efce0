// Expect: EG3001 at line 29
// an object fetched from a collection into a local is mutated; the collection holds the same object
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
    private readonly Dictionary<string, Profile> _profiles = new() { ["alice"] = new Profile() };

    [Trusted]
    public void SetPin(string user, [Secret] int pin)
    {
        Profile profile = _profiles[user];
        profile.Pin = pin;
    }

    [Trusted]
    public void Export(string user) => Send(_profiles[user].Pin); // <- EG3001

    private sealed class Profile
    {
        public int Pin { get; set; }
    }

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
