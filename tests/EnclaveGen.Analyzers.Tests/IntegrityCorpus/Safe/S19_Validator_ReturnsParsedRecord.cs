// Expect: none
// safe: a [HostDataValidator] parser returns a policy it checked field by field
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
        _policy = ParseSignedPolicy(LoadPolicyJson());
    }

    [HostDataValidator]
    private static Policy ParseSignedPolicy(byte[] json)
    {
        Policy policy = JsonSerializer.Deserialize<Policy>(json) ?? throw new InvalidOperationException("The policy is empty; expected a JSON object.");
        if (policy.MaxTransfers is < 0 or > 1_000 || policy.AllowedPeers.Length > 64)
        {
            throw new InvalidOperationException($"The policy allows {policy.MaxTransfers} transfers and {policy.AllowedPeers.Length} peers; expected at most 1000 and 64.");
        }

        return policy;
    }

    [Untrusted] private static partial byte[] LoadPolicyJson();
}

partial class Gateway
{
    private static partial byte[] LoadPolicyJson() => throw new NotSupportedException("the host's side");
}
