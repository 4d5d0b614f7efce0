using System.Buffers.Binary;
using System.Text.Json;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>Checks Intel QE identity collateral (version 2) against a quote's QE report.</summary>
internal static class QeIdentityChecker
{
    private static readonly CollateralJson s_json = new("collateral.qeIdentity");

    /// <summary>Returns the TCB status of the QE (for example UpToDate or OutOfDate).</summary>
    /// <exception cref="EvidenceVerificationException">A <c>collateral.qeIdentity.*</c> check failed.</exception>
    public static string Check(QeIdentityCollateral collateral, SgxReportBody qeReport, bool tdx, TrustAnchor quoteAnchor, Func<IReadOnlyList<ParsedCertificate>, IReadOnlyList<string>, TrustAnchor> validateChain, PublicKeyCache keys, DateTimeOffset time) =>
        s_json.Read(collateral.Json, collateral.SigningChainDer, "enclaveIdentity", quoteAnchor, validateChain, keys, identity => CheckIdentity(identity, qeReport, tdx, time));

    private static string CheckIdentity(JsonElement identity, SgxReportBody qeReport, bool tdx, DateTimeOffset time)
    {
        CollateralJson j = s_json;
        string expectedId = tdx ? "TD_QE" : "QE";
        string id = j.String(identity, "id");
        if (id != expectedId || j.Int(identity, "version") != 2)
        {
            throw j.Fail("format", $"expected a version 2 identity of '{expectedId}', found '{id}'");
        }

        j.CheckCurrent(identity, time);
        byte[] mrSigner = j.Hex(j.String(identity, "mrsigner"), 32, "mrsigner");
        if (!qeReport.MrSigner.Span.SequenceEqual(mrSigner))
        {
            throw j.Fail("identity", $"the QE's MRSIGNER is {Convert.ToHexStringLower(qeReport.MrSigner.Span)}, the QE identity says {Convert.ToHexStringLower(mrSigner)}");
        }

        int productId = j.Int(identity, "isvprodid");
        if (qeReport.IsvProdId != productId)
        {
            throw j.Fail("identity", $"the QE's ISVPRODID is {qeReport.IsvProdId}, the QE identity says {productId}");
        }

        uint miscSelect = BinaryPrimitives.ReadUInt32BigEndian(j.Hex(j.String(identity, "miscselect"), 4, "miscselect"));
        uint miscMask = BinaryPrimitives.ReadUInt32BigEndian(j.Hex(j.String(identity, "miscselectMask"), 4, "miscselectMask"));
        if ((qeReport.MiscSelect & miscMask) != (miscSelect & miscMask))
        {
            throw j.Fail("identity", $"the QE's MISCSELECT 0x{qeReport.MiscSelect:x8} does not match 0x{miscSelect:x8} under mask 0x{miscMask:x8}");
        }

        byte[] attributes = j.Hex(j.String(identity, "attributes"), 16, "attributes");
        byte[] attributesMask = j.Hex(j.String(identity, "attributesMask"), 16, "attributesMask");
        byte[] qeAttributes = qeReport.ToBytes().AsSpan(48, 16).ToArray();
        for (int i = 0; i < 16; i++)
        {
            if ((qeAttributes[i] & attributesMask[i]) != (attributes[i] & attributesMask[i]))
            {
                throw j.Fail("identity", $"the QE's ATTRIBUTES {Convert.ToHexStringLower(qeAttributes)} do not match {Convert.ToHexStringLower(attributes)} under mask {Convert.ToHexStringLower(attributesMask)}");
            }
        }

        // The first level (highest ISVSVN first) the QE's ISVSVN reaches gives its status.
        var levels = new List<(int Svn, string Status)>();
        foreach (JsonElement level in j.Property(identity, "tcbLevels", JsonValueKind.Array).EnumerateArray())
        {
            levels.Add((j.Int(j.Property(level, "tcb", JsonValueKind.Object), "isvsvn"), j.String(level, "tcbStatus")));
        }

        foreach ((int svn, string status) in levels.OrderByDescending(l => l.Svn))
        {
            if (qeReport.IsvSvn >= svn)
            {
                return status != "Revoked" ? status : throw j.Fail("tcb", $"the QE's ISVSVN {qeReport.IsvSvn} is at a TCB level Intel marks Revoked");
            }
        }

        throw j.Fail("tcb", $"the QE's ISVSVN {qeReport.IsvSvn} is below every TCB level of the QE identity");
    }
}
