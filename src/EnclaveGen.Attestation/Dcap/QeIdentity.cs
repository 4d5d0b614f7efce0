using System.Buffers.Binary;
using System.Text.Json;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's QE identity (<c>QE</c> or <c>TD_QE</c>, version 2 or 3), read from its authenticated JSON:
/// the quoting enclave's expected MRSIGNER, ISVPRODID, MISCSELECT and ATTRIBUTES (under masks) and
/// the TCB levels of its ISVSVN.
/// </summary>
internal sealed record QeIdentity(
    string Id,
    DateTimeOffset IssueDate,
    DateTimeOffset NextUpdate,
    uint TcbEvaluationDataNumber,
    uint MiscSelect,
    uint MiscSelectMask,
    byte[] Attributes,
    byte[] AttributesMask,
    byte[] MrSigner,
    int IsvProdId,
    IReadOnlyList<QeIdentityLevel> Levels)
{
    private static readonly CollateralJson s_json = new("collateral.qeIdentity");

    // The statuses Intel's QVL reads in an enclave identity (EnclaveIdentityV2::parseTcbLevels).
    private static readonly IReadOnlySet<TcbStatus> s_statuses = new HashSet<TcbStatus>
    {
        TcbStatus.UpToDate, TcbStatus.ConfigurationNeeded, TcbStatus.OutOfDate, TcbStatus.OutOfDateConfigurationNeeded, TcbStatus.Revoked,
    };

    /// <summary>Reads the signed <c>enclaveIdentity</c> object.</summary>
    /// <exception cref="EvidenceVerificationException">A field is missing or malformed (<c>collateral.qeIdentity.format</c>).</exception>
    public static QeIdentity Parse(ReadOnlyMemory<byte> signedJson) => s_json.Parse(signedJson, Read);

    /// <summary>
    /// Checks the QE report against the identity as Intel's QVL does (MISCSELECT and ATTRIBUTES under
    /// their masks, MRSIGNER, ISVPRODID) and returns the status of the first level, in document
    /// order, whose ISVSVN the QE reaches.
    /// </summary>
    /// <exception cref="EvidenceVerificationException">The QE is not the identity's (<c>collateral.qeIdentity.identity</c>) or below every level (<c>collateral.qeIdentity.tcb</c>).</exception>
    public QeIdentityLevel Evaluate(SgxReportBody qeReport)
    {
        CollateralJson j = s_json;
        if ((qeReport.MiscSelect & MiscSelectMask) != MiscSelect)
        {
            throw j.Fail("identity", $"the QE's MISCSELECT 0x{qeReport.MiscSelect:x8} under mask 0x{MiscSelectMask:x8} is not the identity's 0x{MiscSelect:x8}");
        }

        byte[] qeAttributes = qeReport.ToBytes().AsSpan(48, 16).ToArray();
        byte[] masked = qeAttributes.Select((b, i) => (byte)(b & AttributesMask[i])).ToArray();
        if (!masked.AsSpan().SequenceEqual(Attributes))
        {
            throw j.Fail("identity", $"the QE's ATTRIBUTES {Convert.ToHexStringLower(qeAttributes)} under mask {Convert.ToHexStringLower(AttributesMask)} are not the identity's {Convert.ToHexStringLower(Attributes)}");
        }

        if (!qeReport.MrSigner.Span.SequenceEqual(MrSigner))
        {
            throw j.Fail("identity", $"the QE's MRSIGNER is {Convert.ToHexStringLower(qeReport.MrSigner.Span)}, the QE identity says {Convert.ToHexStringLower(MrSigner)}");
        }

        if (qeReport.IsvProdId != IsvProdId)
        {
            throw j.Fail("identity", $"the QE's ISVPRODID is {qeReport.IsvProdId}, the QE identity says {IsvProdId}");
        }

        return Levels.FirstOrDefault(level => level.IsvSvn <= qeReport.IsvSvn)
            ?? throw j.Fail("tcb", $"the QE's ISVSVN {qeReport.IsvSvn} is below every TCB level of the QE identity (Intel: TCB not supported)");
    }

    private static QeIdentity Read(JsonElement identity)
    {
        CollateralJson j = s_json;
        string id = j.String(identity, "id");
        int version = j.Int(identity, "version");
        if (version is not (2 or 3))
        {
            throw j.Fail("format", $"expected a QE identity of version 2 or 3, found version {version}");
        }

        var levels = new List<QeIdentityLevel>();
        foreach (JsonElement level in j.Property(identity, "tcbLevels", JsonValueKind.Array).EnumerateArray())
        {
            levels.Add(new QeIdentityLevel(j.Int(j.Property(level, "tcb", JsonValueKind.Object), "isvsvn", 0, ushort.MaxValue), j.Date(level, "tcbDate"), j.Status(level, s_statuses), j.Advisories(level)));
        }

        if (levels.Count == 0)
        {
            throw j.Fail("format", "the QE identity has no TCB level");
        }

        return new QeIdentity(
            id,
            j.Date(identity, "issueDate"),
            j.Date(identity, "nextUpdate"),
            (uint)j.Int(identity, "tcbEvaluationDataNumber"),
            BinaryPrimitives.ReadUInt32BigEndian(j.Hex(identity, "miscselect", 4)),
            BinaryPrimitives.ReadUInt32BigEndian(j.Hex(identity, "miscselectMask", 4)),
            j.Hex(identity, "attributes", 16),
            j.Hex(identity, "attributesMask", 16),
            j.Hex(identity, "mrsigner", 32),
            j.Int(identity, "isvprodid", 0, ushort.MaxValue),
            levels);
    }
}

/// <summary>A TCB level of a QE identity: the ISVSVN it needs and the status it gives.</summary>
internal sealed record QeIdentityLevel(int IsvSvn, DateTimeOffset TcbDate, TcbStatus Status, IReadOnlyList<string> AdvisoryIds);
