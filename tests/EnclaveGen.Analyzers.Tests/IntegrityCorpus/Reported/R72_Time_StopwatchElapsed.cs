// Expect: EG6005 at line 30
// EG6005: a Stopwatch's elapsed time (the host's clock) decides a timeout
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
public partial class Timeout
{
    [Trusted]
    public bool Work()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int rounds = 0;
        while (rounds < 100)
        {
            rounds++;
        }

        return watch.ElapsedMilliseconds > 50; // <- EG6005
    }


}

partial class Timeout
{

}
