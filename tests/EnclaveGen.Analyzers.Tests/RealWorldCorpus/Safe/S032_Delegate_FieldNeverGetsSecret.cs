// Expect: none
// a stored lambda only ever receives public data
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
    private Action<string> _log = _ => { };

    [Trusted]
    public void Attach() => _log = text => Publish(text);

    [Trusted]
    public void Check(string user, [Secret] string password)
    {
        bool ok = password.Length > 8;
        _log(user);
        Send(Secrets.Declassify(ok ? 1 : 0, "policy result"));
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
