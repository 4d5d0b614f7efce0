using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>Checks Intel QE identity collateral (version 2) against a quote's QE report.</summary>
internal static class QeIdentityChecker
{
    private const int MaxJsonSize = 64 * 1024;

    /// <summary>Returns the TCB status of the QE (for example UpToDate or OutOfDate).</summary>
    /// <exception cref="EvidenceVerificationException">A <c>collateral.qeIdentity.*</c> check failed.</exception>
    public static string Check(QeIdentityCollateral collateral, SgxReportBody qeReport, bool tdx, TrustAnchor quoteAnchor, Func<IReadOnlyList<ParsedCertificate>, IReadOnlyList<string>, TrustAnchor> validateChain, PublicKeyCache keys, DateTimeOffset time)
    {
        ReadOnlySpan<byte> json = collateral.Json.Span;
        if (json.Length == 0 || json.Length > MaxJsonSize)
        {
            throw Fail("format", $"the QE identity is {json.Length} bytes; expected 1 to {MaxJsonSize}");
        }

        // The signing chain must end at the anchor of the quote itself.
        if (collateral.SigningChainDer is not { Count: > 0 } chainDer)
        {
            throw Fail("chain", "the QE identity's signing chain is empty");
        }

        var chain = new List<ParsedCertificate>();
        var names = new List<string>();
        for (int i = 0; i < chainDer.Count; i++)
        {
            names.Add(i == 0 ? "QE identity signing" : $"QE identity issuer {i}");
            chain.Add(ParsedCertificate.Parse(chainDer[i] ?? throw new ArgumentException("A certificate is null.", nameof(collateral)), names[i]));
        }

        TrustAnchor anchor = validateChain(chain, names);
        if (!ReferenceEquals(anchor, quoteAnchor))
        {
            throw Fail("chain", $"the QE identity is signed under '{anchor.Name}', the quote under '{quoteAnchor.Name}'; expected the same anchor");
        }

        // JsonDocument checks UTF-8 inside strings only when they are read; check it all first.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Fail("format", "the QE identity is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(collateral.Json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Fail("format", $"the QE identity is not JSON ({e.Message})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            JsonElement identity = Property(root, "enclaveIdentity", JsonValueKind.Object);
            string signatureHex = Property(root, "signature", JsonValueKind.String).GetString()!;
            byte[] signature = Hex(signatureHex, 64, "signature");

            // The signature covers the enclaveIdentity value exactly as it appears in the body.
            byte[] signedBytes = System.Text.Encoding.UTF8.GetBytes(identity.GetRawText());
            if (!keys.VerifyEcdsa(chain[0].SubjectPublicKeyInfo, signedBytes, signature, System.Security.Cryptography.HashAlgorithmName.SHA256))
            {
                throw Fail("signature", "the QE identity's ECDSA P-256 signature does not verify under its signing certificate");
            }

            string expectedId = tdx ? "TD_QE" : "QE";
            string id = Property(identity, "id", JsonValueKind.String).GetString()!;
            if (id != expectedId || Property(identity, "version", JsonValueKind.Number).GetInt32() != 2)
            {
                throw Fail("format", $"expected a version 2 identity of '{expectedId}', found '{id}'");
            }

            DateTimeOffset issueDate = Date(identity, "issueDate");
            DateTimeOffset nextUpdate = Date(identity, "nextUpdate");
            if (time < issueDate || time > nextUpdate)
            {
                throw Fail("validity", $"the QE identity is current from {issueDate:yyyy-MM-ddTHH:mm:ssZ} to {nextUpdate:yyyy-MM-ddTHH:mm:ssZ}, not at the verification time {time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
            }

            byte[] mrSigner = Hex(Property(identity, "mrsigner", JsonValueKind.String).GetString()!, 32, "mrsigner");
            if (!qeReport.MrSigner.Span.SequenceEqual(mrSigner))
            {
                throw Fail("identity", $"the QE's MRSIGNER is {Convert.ToHexStringLower(qeReport.MrSigner.Span)}, the QE identity says {Convert.ToHexStringLower(mrSigner)}");
            }

            int productId = Property(identity, "isvprodid", JsonValueKind.Number).GetInt32();
            if (qeReport.IsvProdId != productId)
            {
                throw Fail("identity", $"the QE's ISVPRODID is {qeReport.IsvProdId}, the QE identity says {productId}");
            }

            uint miscSelect = BinaryPrimitives.ReadUInt32BigEndian(Hex(Property(identity, "miscselect", JsonValueKind.String).GetString()!, 4, "miscselect"));
            uint miscMask = BinaryPrimitives.ReadUInt32BigEndian(Hex(Property(identity, "miscselectMask", JsonValueKind.String).GetString()!, 4, "miscselectMask"));
            if ((qeReport.MiscSelect & miscMask) != (miscSelect & miscMask))
            {
                throw Fail("identity", $"the QE's MISCSELECT 0x{qeReport.MiscSelect:x8} does not match 0x{miscSelect:x8} under mask 0x{miscMask:x8}");
            }

            byte[] attributes = Hex(Property(identity, "attributes", JsonValueKind.String).GetString()!, 16, "attributes");
            byte[] attributesMask = Hex(Property(identity, "attributesMask", JsonValueKind.String).GetString()!, 16, "attributesMask");
            byte[] qeAttributes = qeReport.ToBytes().AsSpan(48, 16).ToArray();
            for (int i = 0; i < 16; i++)
            {
                if ((qeAttributes[i] & attributesMask[i]) != (attributes[i] & attributesMask[i]))
                {
                    throw Fail("identity", $"the QE's ATTRIBUTES {Convert.ToHexStringLower(qeAttributes)} do not match {Convert.ToHexStringLower(attributes)} under mask {Convert.ToHexStringLower(attributesMask)}");
                }
            }

            // The first level (highest ISVSVN first) the QE's ISVSVN reaches gives its status.
            var levels = new List<(int Svn, string Status)>();
            foreach (JsonElement level in Property(identity, "tcbLevels", JsonValueKind.Array).EnumerateArray())
            {
                int svn = Property(Property(level, "tcb", JsonValueKind.Object), "isvsvn", JsonValueKind.Number).GetInt32();
                levels.Add((svn, Property(level, "tcbStatus", JsonValueKind.String).GetString()!));
            }

            foreach ((int svn, string status) in levels.OrderByDescending(l => l.Svn))
            {
                if (qeReport.IsvSvn >= svn)
                {
                    if (status == "Revoked")
                    {
                        throw Fail("tcb", $"the QE's ISVSVN {qeReport.IsvSvn} is at a TCB level Intel marks Revoked");
                    }

                    return status;
                }
            }

            throw Fail("tcb", $"the QE's ISVSVN {qeReport.IsvSvn} is below every TCB level of the QE identity");
        }
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != kind)
        {
            throw Fail("format", $"the QE identity lacks '{name}' of kind {kind}");
        }

        if (kind == JsonValueKind.Number && !value.TryGetInt32(out _))
        {
            throw Fail("format", $"the QE identity's '{name}' is not a 32-bit integer");
        }

        return value;
    }

    private static DateTimeOffset Date(JsonElement element, string name)
    {
        string text = Property(element, name, JsonValueKind.String).GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
        {
            throw Fail("format", $"the QE identity's '{name}' is not a date: '{text}'");
        }

        return date;
    }

    private static byte[] Hex(string text, int length, string name)
    {
        if (text.Length != 2 * length || !text.All(Uri.IsHexDigit))
        {
            throw Fail("format", $"the QE identity's '{name}' must be {length} bytes of hex");
        }

        return Convert.FromHexString(text);
    }

    private static EvidenceVerificationException Fail(string what, string message) => new($"collateral.qeIdentity.{what}", message);
}
