using System.Text.Json;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's TCB info (SGX versions 2 and 3, TDX version 3), read from its authenticated JSON: the
/// platform it is for, when it is current, and its TCB levels; for TDX also the TDX module's
/// expected signer and attributes and the module identities with their own levels.
/// </summary>
internal sealed record TcbInfo(
    string Id,
    int Version,
    DateTimeOffset IssueDate,
    DateTimeOffset NextUpdate,
    byte[] Fmspc,
    byte[] PceId,
    uint TcbEvaluationDataNumber,
    IReadOnlyList<TcbLevel> Levels,
    TdxModuleExpectation? TdxModule,
    IReadOnlyList<TdxModuleIdentity> TdxModuleIdentities)
{
    private static readonly CollateralJson s_json = new("collateral.tcbInfo");
    private static readonly IReadOnlySet<TcbStatus> s_levelStatuses = new HashSet<TcbStatus>
    {
        TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded, TcbStatus.ConfigurationNeeded, TcbStatus.ConfigurationAndSWHardeningNeeded,
        TcbStatus.OutOfDate, TcbStatus.OutOfDateConfigurationNeeded, TcbStatus.Revoked,
    };

    private static readonly IReadOnlySet<TcbStatus> s_moduleStatuses = new HashSet<TcbStatus> { TcbStatus.UpToDate, TcbStatus.OutOfDate, TcbStatus.Revoked };

    /// <summary>True for TDX TCB info (version 3, id <c>TDX</c>).</summary>
    public bool IsTdx => Version >= 3 && Id == "TDX";

    /// <summary>Reads the signed <c>tcbInfo</c> object.</summary>
    /// <exception cref="EvidenceVerificationException">A field is missing or malformed (<c>collateral.tcbInfo.format</c>).</exception>
    public static TcbInfo Parse(ReadOnlyMemory<byte> signedJson) => s_json.Parse(signedJson, Read);

    private static TcbInfo Read(JsonElement info)
    {
        CollateralJson j = s_json;
        int version = j.Int(info, "version");
        string id = version >= 3 ? j.String(info, "id") : "SGX";
        if (version is not (2 or 3) || id is not ("SGX" or "TDX") || (id == "TDX" && version != 3))
        {
            throw j.Fail("format", $"expected SGX TCB info of version 2 or 3 or TDX TCB info of version 3, found '{id}' version {version}");
        }

        if (j.Int(info, "tcbType") != 0)
        {
            throw j.Fail("format", "only tcbType 0 (TCB components compared as SVNs) is defined");
        }

        bool tdx = id == "TDX";
        var levels = new List<TcbLevel>();
        foreach (JsonElement level in j.Property(info, "tcbLevels", JsonValueKind.Array).EnumerateArray())
        {
            levels.Add(ReadLevel(level, version, tdx));
        }

        if (levels.Count == 0)
        {
            throw j.Fail("format", "the TCB info has no TCB level");
        }

        TdxModuleExpectation? module = null;
        var identities = new List<TdxModuleIdentity>();
        if (tdx)
        {
            JsonElement m = j.Property(info, "tdxModule", JsonValueKind.Object);
            module = new TdxModuleExpectation(j.Hex(m, "mrsigner", 48), j.Hex(m, "attributes", 8), j.Hex(m, "attributesMask", 8));
            if (j.Has(info, "tdxModuleIdentities"))
            {
                foreach (JsonElement identity in j.Property(info, "tdxModuleIdentities", JsonValueKind.Array).EnumerateArray())
                {
                    var moduleLevels = new List<TdxModuleLevel>();
                    foreach (JsonElement level in j.Property(identity, "tcbLevels", JsonValueKind.Array).EnumerateArray())
                    {
                        moduleLevels.Add(new TdxModuleLevel(
                            j.Int(j.Property(level, "tcb", JsonValueKind.Object), "isvsvn", 0, 255), j.Date(level, "tcbDate"), j.Status(level, s_moduleStatuses), j.Advisories(level)));
                    }

                    identities.Add(new TdxModuleIdentity(j.String(identity, "id"), j.Hex(identity, "mrsigner", 48), j.Hex(identity, "attributes", 8), j.Hex(identity, "attributesMask", 8), moduleLevels));
                }
            }
        }

        return new TcbInfo(id, version, j.Date(info, "issueDate"), j.Date(info, "nextUpdate"), j.Hex(info, "fmspc", 6), j.Hex(info, "pceId", 2),
            (uint)j.Int(info, "tcbEvaluationDataNumber"), levels, module, identities);
    }

    private static TcbLevel ReadLevel(JsonElement level, int version, bool tdx)
    {
        CollateralJson j = s_json;
        JsonElement tcb = j.Property(level, "tcb", JsonValueKind.Object);
        byte[] sgx = version == 3 ? Components(tcb, "sgxtcbcomponents") : Enumerable.Range(1, 16).Select(i => (byte)j.Int(tcb, $"sgxtcbcomp{i:00}svn", 0, 255)).ToArray();
        byte[]? tdxComponents = tdx ? Components(tcb, "tdxtcbcomponents") : null;
        return new TcbLevel(sgx, (ushort)j.Int(tcb, "pcesvn", 0, ushort.MaxValue), tdxComponents, j.Date(level, "tcbDate"), j.Status(level, s_levelStatuses), j.Advisories(level));
    }

    private static byte[] Components(JsonElement tcb, string name)
    {
        CollateralJson j = s_json;
        JsonElement list = j.Property(tcb, name, JsonValueKind.Array);
        if (list.GetArrayLength() != 16)
        {
            throw j.Fail("format", $"a TCB level has {list.GetArrayLength()} '{name}', expected 16");
        }

        return list.EnumerateArray().Select(c => (byte)j.Int(c, "svn", 0, 255)).ToArray();
    }
}

/// <summary>One TCB level of a TCB info: the component SVNs a platform must reach, and the status it then has.</summary>
internal sealed record TcbLevel(byte[] SgxComponents, ushort PceSvn, byte[]? TdxComponents, DateTimeOffset TcbDate, TcbStatus Status, IReadOnlyList<string> AdvisoryIds);

/// <summary>The TDX module signer and attributes a TDX TCB info expects by default.</summary>
internal sealed record TdxModuleExpectation(byte[] MrSigner, byte[] Attributes, byte[] AttributesMask);

/// <summary>A TDX module identity (<c>TDX_01</c>, ...) of a TDX TCB info version 3.</summary>
internal sealed record TdxModuleIdentity(string Id, byte[] MrSigner, byte[] Attributes, byte[] AttributesMask, IReadOnlyList<TdxModuleLevel> Levels);

/// <summary>A TCB level of a TDX module identity: the module ISVSVN it needs and the status it gives.</summary>
internal sealed record TdxModuleLevel(int IsvSvn, DateTimeOffset TcbDate, TcbStatus Status, IReadOnlyList<string> AdvisoryIds);
