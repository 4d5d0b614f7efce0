// Expect: EG6005 at line 25
// EG6005: a licence expires by the host's clock, which the host can turn back
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
public partial class Licence
{
    private readonly DateTime _expires = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Trusted]
    public bool IsValid()
    {
        if (DateTime.UtcNow > _expires) // <- EG6005
        {
            return false;
        }

        return true;
    }
}
