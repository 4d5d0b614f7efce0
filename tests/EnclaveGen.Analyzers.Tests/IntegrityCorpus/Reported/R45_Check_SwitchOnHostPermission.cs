// Expect: EG6001 at line 30
// EG6001: a permission enum from the host selects what the enclave releases
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

public enum Permission { None, Read, Export }

[Enclave]
public partial class Exporter
{
    [Secret] private readonly string _customerList = "alice;bob;carol";

    [Trusted]
    public string Export(string user)
    {
        switch (PermissionOf(user))
        {
            case Permission.Export:
                return Secrets.Declassify(_customerList, "exporters get the list"); // <- EG6001
            case Permission.Read:
                return "3 customers";
            default:
                return "";
        }
    }

    [Untrusted] private static partial Permission PermissionOf(string user);
}

partial class Exporter
{
    private static partial Permission PermissionOf(string user) => throw new NotSupportedException("the host's side");
}
