// Expect: none
// safe: the firmware's signature is checked with a publisher key built into the enclave
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
    private static readonly byte[] PublisherKey = Convert.FromBase64String(
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEb7ZJ2Ow7Lr4Y6JvS0s9Vb6o5gTcyy2DbbWJ6nFMbnXh5A3W9y6qvQ1pK1D6o8kS3f4YlH2C1s5U9m9m9hQH1aQ==");
    private byte[] _image = [];

    [Trusted]
    public bool Install()
    {
        using var publisher = ECDsa.Create();
        publisher.ImportSubjectPublicKeyInfo(PublisherKey, out _);
        byte[] image = DownloadImage();
        byte[] signature = DownloadSignature();
        if (!publisher.VerifyData(image, signature, HashAlgorithmName.SHA256))
        {
            return false;
        }

        _image = image;
        return true;
    }

    [Untrusted] private static partial byte[] DownloadImage();
    [Untrusted] private static partial byte[] DownloadSignature();
}

partial class Firmware
{
    private static partial byte[] DownloadImage() => throw new NotSupportedException("the host's side");
    private static partial byte[] DownloadSignature() => throw new NotSupportedException("the host's side");
}
