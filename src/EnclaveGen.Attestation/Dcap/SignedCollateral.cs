using System.Text.Json;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// One piece of Intel's signed JSON collateral (TCB info or QE identity): the exact JSON text the
/// signature covers, the ECDSA P-256 signature (r||s, 64 bytes), and the chain of the certificate
/// that signed it (Intel's TCB Signing certificate, then the root), DER each.
/// </summary>
public abstract record SignedCollateral
{
    /// <summary>The largest JSON accepted.</summary>
    public const int MaxJsonSize = 256 * 1024;

    private protected SignedCollateral(ReadOnlyMemory<byte> signedJson, ReadOnlyMemory<byte> signature, IReadOnlyList<byte[]> signingChainDer)
    {
        ArgumentNullException.ThrowIfNull(signingChainDer);
        SignedJson = signedJson;
        Signature = signature;
        SigningChainDer = signingChainDer;
    }

    /// <summary>The signed JSON object, byte for byte as Intel signed it.</summary>
    public ReadOnlyMemory<byte> SignedJson { get; init; }

    /// <summary>The signature over <see cref="SignedJson"/> (r||s, 64 bytes).</summary>
    public ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The signing certificate first, then its issuers up to the root.</summary>
    public IReadOnlyList<byte[]> SigningChainDer { get; init; }

    /// <summary>
    /// Splits a response body as Intel's PCS serves it, <c>{"&lt;name&gt;":{...},"signature":"hex"}</c>,
    /// into the exact bytes of the named value and the signature.
    /// </summary>
    /// <exception cref="EvidenceFormatException">The body is not such JSON.</exception>
    private protected static (byte[] SignedJson, byte[] Signature) SplitPcsResponse(ReadOnlySpan<byte> body, string name)
    {
        string what = $"{name} response";
        if (body.IsEmpty || body.Length > MaxJsonSize || !System.Text.Unicode.Utf8.IsValid(body))
        {
            throw new EvidenceFormatException(what, "text", -1, $"expected UTF-8 JSON of 1 to {MaxJsonSize} bytes");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("signature", out JsonElement signature) || signature.ValueKind != JsonValueKind.String)
            {
                throw new EvidenceFormatException(what, "shape", -1, $"expected {{\"{name}\":{{...}},\"signature\":\"<hex>\"}} as Intel's PCS serves it");
            }

            string hex = signature.GetString() ?? string.Empty;
            if (hex.Length != 128 || !hex.All(Uri.IsHexDigit))
            {
                throw new EvidenceFormatException(what, "signature", -1, "the signature must be 64 bytes of hex (r||s)");
            }

            // GetRawText gives the value's original text: the exact bytes Intel signed.
            return (System.Text.Encoding.UTF8.GetBytes(value.GetRawText()), Convert.FromHexString(hex));
        }
        catch (JsonException e)
        {
            throw new EvidenceFormatException(what, "text", -1, $"not JSON ({ErrorText.Message(e)})");
        }
    }
}

/// <summary>Intel's TCB info for the platform's FMSPC (SGX versions 2 and 3, TDX version 3).</summary>
public sealed record TcbInfoCollateral : SignedCollateral
{
    /// <summary>The signed <c>tcbInfo</c> object, its signature and its signing chain.</summary>
    public TcbInfoCollateral(ReadOnlyMemory<byte> signedJson, ReadOnlyMemory<byte> signature, IReadOnlyList<byte[]> signingChainDer)
        : base(signedJson, signature, signingChainDer)
    {
    }

    /// <summary>From the PCS response body <c>{"tcbInfo":{...},"signature":"..."}</c> and the chain of its <c>TCB-Info-Issuer-Chain</c> header.</summary>
    /// <exception cref="EvidenceFormatException">The body is not such JSON.</exception>
    public static TcbInfoCollateral FromPcsResponse(ReadOnlySpan<byte> body, IReadOnlyList<byte[]> signingChainDer)
    {
        (byte[] json, byte[] signature) = SplitPcsResponse(body, "tcbInfo");
        return new TcbInfoCollateral(json, signature, signingChainDer);
    }
}

/// <summary>Intel's QE identity (<c>QE</c> for SGX quotes, <c>TD_QE</c> for TDX quotes).</summary>
public sealed record QeIdentityCollateral : SignedCollateral
{
    /// <summary>The signed <c>enclaveIdentity</c> object, its signature and its signing chain.</summary>
    public QeIdentityCollateral(ReadOnlyMemory<byte> signedJson, ReadOnlyMemory<byte> signature, IReadOnlyList<byte[]> signingChainDer)
        : base(signedJson, signature, signingChainDer)
    {
    }

    /// <summary>From the PCS response body <c>{"enclaveIdentity":{...},"signature":"..."}</c> and the chain of its <c>SGX-Enclave-Identity-Issuer-Chain</c> header.</summary>
    /// <exception cref="EvidenceFormatException">The body is not such JSON.</exception>
    public static QeIdentityCollateral FromPcsResponse(ReadOnlySpan<byte> body, IReadOnlyList<byte[]> signingChainDer)
    {
        (byte[] json, byte[] signature) = SplitPcsResponse(body, "enclaveIdentity");
        return new QeIdentityCollateral(json, signature, signingChainDer);
    }
}
