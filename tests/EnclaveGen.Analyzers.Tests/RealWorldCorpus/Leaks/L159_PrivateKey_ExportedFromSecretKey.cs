// Expect: EG3002 at line 29, EG3002 at line 32
// the private half of a [Secret] key pair still leaks when exported
using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    [Secret] private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Trusted]
    public byte[] PublicKey() => _signingKey.ExportSubjectPublicKeyInfo();

    [Trusted]
    public byte[] Backup() => _signingKey.ExportPkcs8PrivateKey(); // <- EG3002

    [Trusted]
    public byte[] D() => _signingKey.ExportParameters(true).D ?? []; // <- EG3002

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
