using System.Globalization;
using System.Text.Json;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What Intel's signed JSON collateral (QE identity, TCB info) has in common: a body
/// <c>{"&lt;name&gt;":{...},"signature":"&lt;hex r||s&gt;"}</c> whose signature covers the exact bytes of
/// the named value, signed by a certificate whose chain must end at the quote's own anchor.
/// </summary>
internal sealed class CollateralJson(string check)
{
    private const int MaxJsonSize = 256 * 1024;

    /// <summary>Checks the chain and signature, then hands the signed object to <paramref name="read"/>.</summary>
    public T Read<T>(ReadOnlyMemory<byte> json, IReadOnlyList<byte[]> signingChainDer, string name, TrustAnchor quoteAnchor,
        Func<IReadOnlyList<ParsedCertificate>, IReadOnlyList<string>, TrustAnchor> validateChain, PublicKeyCache keys, Func<JsonElement, T> read)
    {
        if (json.Length == 0 || json.Length > MaxJsonSize)
        {
            throw Fail("format", $"the collateral is {json.Length} bytes; expected 1 to {MaxJsonSize}");
        }

        if (signingChainDer is not { Count: > 0 })
        {
            throw Fail("chain", "the collateral's signing chain is empty");
        }

        var chain = new List<ParsedCertificate>();
        var names = new List<string>();
        for (int i = 0; i < signingChainDer.Count; i++)
        {
            names.Add(i == 0 ? "collateral signing" : $"collateral issuer {i}");
            chain.Add(ParsedCertificate.Parse(signingChainDer[i] ?? throw new ArgumentException("A certificate is null.", nameof(signingChainDer)), names[i]));
        }

        TrustAnchor anchor = validateChain(chain, names);
        if (!ReferenceEquals(anchor, quoteAnchor))
        {
            throw Fail("chain", $"the collateral is signed under '{anchor.Name}', the quote under '{quoteAnchor.Name}'; expected the same anchor");
        }

        // JsonDocument checks UTF-8 inside strings only when they are read; check it all first.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw Fail("format", "the collateral is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Fail("format", $"the collateral is not JSON ({ErrorText.Message(e)})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            JsonElement signed = Property(root, name, JsonValueKind.Object);
            byte[] signature = Hex(Property(root, "signature", JsonValueKind.String).GetString()!, 64, "signature");
            byte[] signedBytes = System.Text.Encoding.UTF8.GetBytes(signed.GetRawText());
            if (!keys.VerifyEcdsa(chain[0].SubjectPublicKeyInfo, signedBytes, signature, System.Security.Cryptography.HashAlgorithmName.SHA256))
            {
                throw Fail("signature", $"the ECDSA P-256 signature over '{name}' does not verify under the collateral's signing certificate");
            }

            return read(signed);
        }
    }

    public JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != kind)
        {
            throw Fail("format", $"the collateral lacks '{name}' of kind {kind}");
        }

        if (kind == JsonValueKind.Number && !value.TryGetInt32(out _))
        {
            throw Fail("format", $"the collateral's '{name}' is not a 32-bit integer");
        }

        return value;
    }

    public int Int(JsonElement element, string name) => Property(element, name, JsonValueKind.Number).GetInt32();

    public string String(JsonElement element, string name) => Property(element, name, JsonValueKind.String).GetString()!;

    public void CheckCurrent(JsonElement element, DateTimeOffset time)
    {
        DateTimeOffset issueDate = Date(element, "issueDate");
        DateTimeOffset nextUpdate = Date(element, "nextUpdate");
        if (time < issueDate || time > nextUpdate)
        {
            throw Fail("validity", $"the collateral is current from {issueDate:yyyy-MM-ddTHH:mm:ssZ} to {nextUpdate:yyyy-MM-ddTHH:mm:ssZ}, not at the verification time {time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }

    public byte[] Hex(string text, int length, string name)
    {
        if (text.Length != 2 * length || !text.All(Uri.IsHexDigit))
        {
            throw Fail("format", $"the collateral's '{name}' must be {length} bytes of hex");
        }

        return Convert.FromHexString(text);
    }

    public EvidenceVerificationException Fail(string what, string message) => new($"{check}.{what}", message);

    private DateTimeOffset Date(JsonElement element, string name)
    {
        string text = String(element, name);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
        {
            throw Fail("format", $"the collateral's '{name}' is not a date: '{text}'");
        }

        return date;
    }
}
