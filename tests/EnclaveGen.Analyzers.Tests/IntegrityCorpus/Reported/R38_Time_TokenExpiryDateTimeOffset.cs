// Expect: EG6005 at line 31
// EG6005: a token's expiry checked against a DateTimeOffset the host returns
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

public sealed record AccessToken(string Subject, DateTimeOffset ExpiresAt);

[Enclave]
public partial class TokenCheck
{
    private readonly Dictionary<string, AccessToken> _tokens = new();

    [Trusted]
    public void Issue(string subject) => _tokens[subject] = new AccessToken(subject, DateTimeOffset.UnixEpoch.AddYears(60));

    [Trusted]
    public bool Check(string subject)
    {
        DateTimeOffset now = HostClock();
        return _tokens.TryGetValue(subject, out AccessToken? token) && token.ExpiresAt > now; // <- EG6005
    }

    [Untrusted] private static partial DateTimeOffset HostClock();
}

partial class TokenCheck
{
    private static partial DateTimeOffset HostClock() => throw new NotSupportedException("the host's side");
}
