// Expect: none
// safe: the enclave decides the sealing policy itself
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
public partial class Archive
{
    [Trusted]
    public byte[] Store([Secret] byte[] record) => EnclaveSealing.Seal(record, SealingPolicy.MrEnclave);
}
