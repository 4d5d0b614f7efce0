// Expect: EG6001 at line 27
// EG6001: the authorization check asks the host, which can always answer yes
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
public partial class Documents
{
    private readonly Dictionary<string, string> _bodies = new();

    [Trusted]
    public string Read(string user, string documentId)
    {
        if (!HostSaysAuthorized(user, documentId))
        {
            throw new UnauthorizedAccessException($"{user} may not read {documentId}."); // <- EG6001
        }

        return _bodies.GetValueOrDefault(documentId, "");
    }

    [Untrusted] private static partial bool HostSaysAuthorized(string user, string documentId);
}

partial class Documents
{
    private static partial bool HostSaysAuthorized(string user, string documentId) => throw new NotSupportedException("the host's side");
}
