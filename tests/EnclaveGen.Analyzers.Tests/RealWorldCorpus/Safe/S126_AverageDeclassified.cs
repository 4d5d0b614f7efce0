// Expect: none
// the average of secret salaries is declassified before it leaves
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
    private readonly List<decimal> _salaries = new();

    [Trusted]
    public void Add([Secret] decimal salary) => _salaries.Add(salary);

    [Trusted]
    public decimal Average()
    {
        if (_salaries.Count < 5)
        {
            return 0;
        }

        return Secrets.Declassify(_salaries.Average(), "the mean of at least five is published by policy");
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
