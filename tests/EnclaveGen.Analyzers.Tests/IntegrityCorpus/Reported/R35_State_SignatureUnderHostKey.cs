// Expect: EG6004 at line 34
// EG6004: a signature checked with a public key the host supplied is no check
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
public partial class Firmware
{
    private byte[] _image = [];

    [Trusted]
    public bool Install()
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(PublisherKey(), out _);
        byte[] image = DownloadImage();
        byte[] signature = DownloadSignature();
        if (!ecdsa.VerifyData(image, signature, HashAlgorithmName.SHA256))
        {
            return false;
        }

        _image = image; // <- EG6004
        return true;
    }

    [Untrusted] private static partial byte[] PublisherKey();
    [Untrusted] private static partial byte[] DownloadImage();
    [Untrusted] private static partial byte[] DownloadSignature();
}

partial class Firmware
{
    private static partial byte[] PublisherKey() => throw new NotSupportedException("the host's side");
    private static partial byte[] DownloadImage() => throw new NotSupportedException("the host's side");
    private static partial byte[] DownloadSignature() => throw new NotSupportedException("the host's side");
}
