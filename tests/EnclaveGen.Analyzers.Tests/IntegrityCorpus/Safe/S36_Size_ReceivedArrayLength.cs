// Expect: none
// a buffer as long as an array the boundary already copied in
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
public partial class Copier
{
    [Trusted]
    public int Copy(byte[] data)
    {
        var copy = new byte[data.Length];
        data.CopyTo(copy, 0);
        return copy.Length;
    }


}

partial class Copier
{

}
