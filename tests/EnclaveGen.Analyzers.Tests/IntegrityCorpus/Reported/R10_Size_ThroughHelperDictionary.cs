// Expect: EG6002 at line 26
// EG6002: a helper parses the host's configuration; its number becomes a dictionary capacity
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
public partial class SessionCache
{
    private Dictionary<string, DateTime> _sessions = new();

    [Trusted]
    public int Resize()
    {
        int capacity = ParseCapacity(ReadConfig());
        _sessions = new Dictionary<string, DateTime>(capacity); // <- EG6002
        return capacity;
    }

    private static int ParseCapacity(string config) =>
        int.Parse(config.Split('=').Last(), System.Globalization.CultureInfo.InvariantCulture);

    [Untrusted] private static partial string ReadConfig();
}

partial class SessionCache
{
    private static partial string ReadConfig() => throw new NotSupportedException("the host's side");
}
