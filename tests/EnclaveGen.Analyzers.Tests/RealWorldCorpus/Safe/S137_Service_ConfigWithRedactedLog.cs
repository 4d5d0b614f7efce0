// Expect: none
// a service with a secret connection string logs only the host part it parsed out and declassified
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
    [Secret] private string _connection = "";

    [Trusted]
    public void Configure([Secret] string connection)
    {
        _connection = connection;
        string host = connection.Split(';').FirstOrDefault(p => p.StartsWith("Host=", StringComparison.Ordinal)) ?? "Host=?";
        Publish("configured " + Secrets.Declassify(host, "the host name is not secret; the password is"));
    }

    [Trusted]
    public bool IsConfigured() => Secrets.Declassify(_connection.Length > 0, "whether a connection was set");

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
