// Expect: EG6001 at line 28
// EG6001: a role string from the host's directory decides whether a secret is released
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

[Enclave]
public partial class Payroll
{
    [Secret] private readonly decimal _ceoSalary = 1_250_000m;

    [Trusted]
    public decimal Salary(string requester)
    {
        string role = DirectoryRole(requester);
        if (role == "hr-admin")
        {
            return Secrets.Declassify(_ceoSalary, "HR administrators see salaries"); // <- EG6001
        }

        return 0m;
    }

    [Untrusted] private static partial string DirectoryRole(string user);
}

partial class Payroll
{
    private static partial string DirectoryRole(string user) => throw new NotSupportedException("the host's side");
}
