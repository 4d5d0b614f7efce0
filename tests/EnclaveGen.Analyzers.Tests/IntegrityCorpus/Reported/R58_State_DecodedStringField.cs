// Expect: EG6004 at line 25
// EG6004: the host's bytes decoded into a string field
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
public partial class Settings
{
    private string _mode = "";

    [Trusted]
    public void Refresh()
    {
        _mode = Encoding.UTF8.GetString(LoadConfig()); // <- EG6004
    }

    [Untrusted] private static partial byte[] LoadConfig();
}

partial class Settings
{
    private static partial byte[] LoadConfig() => throw new NotSupportedException("the host's side");
}
