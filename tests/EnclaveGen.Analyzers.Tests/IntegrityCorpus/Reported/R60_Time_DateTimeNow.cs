// Expect: EG6005 at line 25
// EG6005: the local time decides whether a deadline passed
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
public partial class Deadline
{
    private readonly DateTime _deadline = new(2030, 1, 1);

    [Trusted]
    public bool Open()
    {
        if (DateTime.Now > _deadline) // <- EG6005
        {
            return false;
        }

        return true;
    }


}

partial class Deadline
{

}
