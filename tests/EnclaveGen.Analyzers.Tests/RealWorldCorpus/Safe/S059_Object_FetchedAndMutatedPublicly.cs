// Expect: none
// an object fetched from a collection gets a public member updated
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
    public void Touch(string user, [Secret] int pin)
    {
        Profile profile = _profiles[user];
        profile.Visits++;
        profile.PinSet = Secrets.Declassify(pin != 0, "whether a PIN is set is public");
    }

    [Trusted]
    public int Visits(string user) => _profiles[user].Visits;

    private sealed class Profile
    {
        public int Visits { get; set; }

        public bool PinSet { get; set; }
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
