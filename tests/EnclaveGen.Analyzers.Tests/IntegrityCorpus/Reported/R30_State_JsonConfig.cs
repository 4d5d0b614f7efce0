// Expect: EG6004 at line 28
// EG6004: a policy deserialized from host bytes is trusted from then on
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

public sealed record Policy(int MaxTransfers, string[] AllowedPeers);

[Enclave]
public partial class Gateway
{
    private Policy _policy = new(0, []);

    [Trusted]
    public void Reload()
    {
        byte[] json = LoadPolicyJson();
        _policy = JsonSerializer.Deserialize<Policy>(json) ?? new Policy(0, []); // <- EG6004
    }

    [Trusted]
    public bool MayTalkTo(string peer) => _policy.AllowedPeers.Contains(peer);

    [Untrusted] private static partial byte[] LoadPolicyJson();
}

partial class Gateway
{
    private static partial byte[] LoadPolicyJson() => throw new NotSupportedException("the host's side");
}
