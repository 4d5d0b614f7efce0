// Expect: none
// a counter of its own instead of a clock
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
public partial class Limiter
{
    private long _calls;

    [Trusted]
    public bool Allow()
    {
        _calls++;
        return _calls % 10 != 0;
    }


}

partial class Limiter
{

}
