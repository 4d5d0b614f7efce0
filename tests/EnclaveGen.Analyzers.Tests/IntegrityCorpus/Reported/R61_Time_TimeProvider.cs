// Expect: EG6005 at line 23
// EG6005: TimeProvider.System's time decides an expiry
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
public partial class License
{
    private readonly DateTimeOffset _expires = DateTimeOffset.UnixEpoch.AddYears(60);

    [Trusted]
    public bool Valid() => TimeProvider.System.GetUtcNow() < _expires; // <- EG6005


}

partial class License
{

}
