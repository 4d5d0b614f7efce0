// Expect: none
// the host's blob is unsealed before it becomes state
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
        _mode = EnclaveSealing.UnsealString(LoadConfig());
    }

    [Untrusted] private static partial byte[] LoadConfig();
}

partial class Settings
{
    private static partial byte[] LoadConfig() => throw new NotSupportedException("the host's side");
}
