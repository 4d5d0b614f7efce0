using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using EnclaveGen.Attestation.Formats;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// An SEV-SNP report in the JSON form of the <c>sev</c> crate's <c>AttestationReport</c> (serde,
/// virtee/sev at d4878091, which Trustee pins): the report's named fields, byte arrays as JSON arrays
/// of numbers, TCB versions as <c>{"fmc","bootloader","tee","snp","microcode"}</c>, firmware versions
/// as <c>{"major","minor","build"}</c>, the signature as <c>{"r": [72], "s": [72]}</c>. Reserved bytes
/// are not in it: both directions follow the crate's decoder and encoder, which read and write them
/// as zero, so the bytes a verifier signs are those the encoder gives (docs/key-broker.md).
/// </summary>
internal static class TrusteeSnpReportJson
{
    private const string What = "the SEV-SNP attestation_report";

    private enum Variant
    {
        V2,
        V3,
        V5,
    }

    private enum Generation
    {
        Legacy, // Milan and Genoa: one TCB layout
        Turin,
    }

    /// <summary>The crate's decoding of 1184 report bytes, serialized.</summary>
    /// <exception cref="EvidenceFormatException">Not 1184 bytes, a version below 2, or a processor the crate cannot name (it has no form for it).</exception>
    public static JsonObject ToJson(ReadOnlySpan<byte> report)
    {
        if (report.Length != SnpReport.Size)
        {
            throw new EvidenceFormatException("SEV-SNP report", "length", 0, $"expected {SnpReport.Size} bytes, got {report.Length}");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(report);
        if (version < 2)
        {
            throw new EvidenceFormatException("SEV-SNP report", "VERSION", 0, $"version {version} has no form in Trustee's SNP evidence (the sev crate reads 2 and later)");
        }

        Variant variant = VariantOf(version);
        Generation generation = variant == Variant.V2
            ? GenerationOfChipId(report.Slice(0x1A0, 64), static detail => new EvidenceFormatException("SEV-SNP report", "CHIP_ID", 0x1A0, detail))
            : GenerationOfCpuid(report[0x188], report[0x189], static detail => new EvidenceFormatException("SEV-SNP report", "CPUID_FAM_ID/CPUID_MOD_ID", 0x188, detail));
        bool v3 = variant != Variant.V2;
        bool v5 = variant == Variant.V5;
        return new JsonObject
        {
            ["version"] = version,
            ["guest_svn"] = BinaryPrimitives.ReadUInt32LittleEndian(report[0x04..]),
            ["policy"] = BinaryPrimitives.ReadUInt64LittleEndian(report[0x08..]),
            ["family_id"] = Bytes(report.Slice(0x10, 16)),
            ["image_id"] = Bytes(report.Slice(0x20, 16)),
            ["vmpl"] = BinaryPrimitives.ReadUInt32LittleEndian(report[0x30..]),
            ["sig_algo"] = BinaryPrimitives.ReadUInt32LittleEndian(report[0x34..]),
            ["current_tcb"] = Tcb(report.Slice(0x38, 8), generation),
            ["plat_info"] = BinaryPrimitives.ReadUInt64LittleEndian(report[0x40..]),
            ["key_info"] = BinaryPrimitives.ReadUInt32LittleEndian(report[0x48..]),
            ["report_data"] = Bytes(report.Slice(0x50, 64)),
            ["measurement"] = Bytes(report.Slice(0x90, 48)),
            ["host_data"] = Bytes(report.Slice(0xC0, 32)),
            ["id_key_digest"] = Bytes(report.Slice(0xE0, 48)),
            ["author_key_digest"] = Bytes(report.Slice(0x110, 48)),
            ["report_id"] = Bytes(report.Slice(0x140, 32)),
            ["report_id_ma"] = Bytes(report.Slice(0x160, 32)),
            ["reported_tcb"] = Tcb(report.Slice(0x180, 8), generation),
            ["cpuid_fam_id"] = v3 ? report[0x188] : null,
            ["cpuid_mod_id"] = v3 ? report[0x189] : null,
            ["cpuid_step"] = v3 ? report[0x18A] : null,
            ["chip_id"] = Bytes(report.Slice(0x1A0, 64)),
            ["committed_tcb"] = Tcb(report.Slice(0x1E0, 8), generation),
            ["current"] = new JsonObject { ["major"] = report[0x1EA], ["minor"] = report[0x1E9], ["build"] = report[0x1E8] },
            ["committed"] = new JsonObject { ["major"] = report[0x1EE], ["minor"] = report[0x1ED], ["build"] = report[0x1EC] },
            ["launch_tcb"] = Tcb(report.Slice(0x1F0, 8), generation),
            ["launch_mit_vector"] = v5 ? BinaryPrimitives.ReadUInt64LittleEndian(report[0x1F8..]) : null,
            ["current_mit_vector"] = v5 ? BinaryPrimitives.ReadUInt64LittleEndian(report[0x200..]) : null,
            ["signature"] = new JsonObject
            {
                ["r"] = Bytes(report.Slice(SnpReport.SignedSize, 72)),
                ["s"] = Bytes(report.Slice(SnpReport.SignedSize + 72, 72)),
            },
        };
    }

    /// <summary>The crate's deserialization then encoding: the 1184 report bytes (reserved bytes zero).</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: a member is missing, of the wrong type or length, or the processor is one the crate cannot encode for.</exception>
    public static byte[] ToBytes(JsonNode? json)
    {
        if (json is not JsonObject o)
        {
            throw Malformed($"{What} is {KbsJson.Describe(json)}, expected an object");
        }

        uint version = U32(o, "version");
        Variant variant = VariantOf(version);
        byte[] chipId = Array(o, "chip_id", 64);
        byte? family = OptionalU8(o, "cpuid_fam_id");
        byte? model = OptionalU8(o, "cpuid_mod_id");
        byte? stepping = OptionalU8(o, "cpuid_step");
        Generation generation = variant == Variant.V2
            ? GenerationOfChipId(chipId, detail => Malformed($"{What}'s chip_id: {detail}"))
            : GenerationOfCpuid(family ?? 0, model ?? 0, detail => Malformed($"{What}'s cpuid_fam_id/cpuid_mod_id: {detail}"));

        byte[] report = new byte[SnpReport.Size];
        Span<byte> r = report;
        BinaryPrimitives.WriteUInt32LittleEndian(r, version);
        BinaryPrimitives.WriteUInt32LittleEndian(r[0x04..], U32(o, "guest_svn"));
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x08..], U64(o, "policy"));
        Array(o, "family_id", 16).CopyTo(r[0x10..]);
        Array(o, "image_id", 16).CopyTo(r[0x20..]);
        BinaryPrimitives.WriteUInt32LittleEndian(r[0x30..], U32(o, "vmpl"));
        BinaryPrimitives.WriteUInt32LittleEndian(r[0x34..], U32(o, "sig_algo"));
        WriteTcb(o, "current_tcb", generation, r[0x38..]);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x40..], U64(o, "plat_info"));
        BinaryPrimitives.WriteUInt32LittleEndian(r[0x48..], U32(o, "key_info"));
        Array(o, "report_data", 64).CopyTo(r[0x50..]);
        Array(o, "measurement", 48).CopyTo(r[0x90..]);
        Array(o, "host_data", 32).CopyTo(r[0xC0..]);
        Array(o, "id_key_digest", 48).CopyTo(r[0xE0..]);
        Array(o, "author_key_digest", 48).CopyTo(r[0x110..]);
        Array(o, "report_id", 32).CopyTo(r[0x140..]);
        Array(o, "report_id_ma", 32).CopyTo(r[0x160..]);
        WriteTcb(o, "reported_tcb", generation, r[0x180..]);
        if (variant != Variant.V2)
        {
            r[0x188] = family ?? 0;
            r[0x189] = model ?? 0;
            r[0x18A] = stepping ?? 0;
        }

        chipId.CopyTo(r[0x1A0..]);
        WriteTcb(o, "committed_tcb", generation, r[0x1E0..]);
        WriteVersion(o, "current", r[0x1E8..]);
        WriteVersion(o, "committed", r[0x1EC..]);
        WriteTcb(o, "launch_tcb", generation, r[0x1F0..]);
        ulong? launchMit = OptionalU64(o, "launch_mit_vector");
        ulong? currentMit = OptionalU64(o, "current_mit_vector");
        if (variant == Variant.V5)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(r[0x1F8..], launchMit ?? 0);
            BinaryPrimitives.WriteUInt64LittleEndian(r[0x200..], currentMit ?? 0);
        }

        if (o["signature"] is not JsonObject signature)
        {
            throw Malformed($"{What} has no signature object (found {KbsJson.Describe(o["signature"])})");
        }

        Array(signature, "r", 72).CopyTo(r[SnpReport.SignedSize..]);
        Array(signature, "s", 72).CopyTo(r[(SnpReport.SignedSize + 72)..]);
        return report;
    }

    // The crate's ReportVariant: 2, then 3 and 4, then 5 and anything later.
    private static Variant VariantOf(uint version) => version switch
    {
        2 => Variant.V2,
        3 or 4 => Variant.V3,
        _ => Variant.V5,
    };

    // Version 2 reports have no CPUID fields: the crate calls a CHIP_ID with 56 zero bytes at its end Turin.
    private static Generation GenerationOfChipId(ReadOnlySpan<byte> chipId, Func<string, Exception> error)
    {
        if (!chipId.ContainsAnyExcept((byte)0))
        {
            throw error("a version 2 report with a masked (all-zero) CHIP_ID names no processor generation; the sev crate cannot read it");
        }

        return chipId[8..].ContainsAnyExcept((byte)0) ? Generation.Legacy : Generation.Turin;
    }

    private static Generation GenerationOfCpuid(byte family, byte model, Func<string, Exception> error) => SnpProducts.FromCpuid(family, model) switch
    {
        SnpProducts.Turin => Generation.Turin,
        null => throw error($"family 0x{family:x2} model 0x{model:x2} is no SEV-SNP processor the sev crate knows (Milan, Genoa, Turin)"),
        _ => Generation.Legacy,
    };

    private static JsonObject Tcb(ReadOnlySpan<byte> tcb, Generation generation) => generation == Generation.Turin
        ? new JsonObject { ["fmc"] = tcb[0], ["bootloader"] = tcb[1], ["tee"] = tcb[2], ["snp"] = tcb[3], ["microcode"] = tcb[7] }
        : new JsonObject { ["fmc"] = null, ["bootloader"] = tcb[0], ["tee"] = tcb[1], ["snp"] = tcb[6], ["microcode"] = tcb[7] };

    private static void WriteTcb(JsonObject report, string name, Generation generation, Span<byte> destination)
    {
        if (report[name] is not JsonObject tcb)
        {
            throw Malformed($"{What} has no {name} object (found {KbsJson.Describe(report[name])})");
        }

        byte? fmc = OptionalU8(tcb, "fmc");
        byte bootloader = U8(tcb, "bootloader"), tee = U8(tcb, "tee"), snp = U8(tcb, "snp"), microcode = U8(tcb, "microcode");
        ReadOnlySpan<byte> bytes = generation == Generation.Turin
            ? [fmc ?? 0, bootloader, tee, snp, 0, 0, 0, microcode]
            : [bootloader, tee, 0, 0, 0, 0, snp, microcode];
        bytes.CopyTo(destination);
    }

    private static void WriteVersion(JsonObject report, string name, Span<byte> destination)
    {
        if (report[name] is not JsonObject version)
        {
            throw Malformed($"{What} has no {name} object (found {KbsJson.Describe(report[name])})");
        }

        destination[0] = U8(version, "build");
        destination[1] = U8(version, "minor");
        destination[2] = U8(version, "major");
    }

    internal static JsonArray Bytes(ReadOnlySpan<byte> bytes)
    {
        var array = new JsonArray();
        foreach (byte b in bytes)
        {
            array.Add((JsonNode)JsonValue.Create(b));
        }

        return array;
    }

    /// <summary>A byte array as serde reads <c>[u8; N]</c> (exactly <paramref name="length"/> integers 0 to 255) or, with a null length, <c>Vec&lt;u8&gt;</c>.</summary>
    internal static byte[] Array(JsonObject body, string name, int? length, string what = What)
    {
        if (body[name] is not JsonArray array)
        {
            throw Malformed($"{what}'s {name} is {KbsJson.Describe(body[name])}, expected an array of {length?.ToString(CultureInfo.InvariantCulture) ?? "any number of"} bytes");
        }

        if (length is { } expected && array.Count != expected)
        {
            throw Malformed($"{what}'s {name} has {array.Count} elements, expected {expected}");
        }

        byte[] bytes = new byte[array.Count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)Integer(array[i], $"{name}[{i}]", byte.MaxValue, what);
        }

        return bytes;
    }

    private static byte U8(JsonObject body, string name) => (byte)Integer(body[name], name, byte.MaxValue);

    private static uint U32(JsonObject body, string name) => (uint)Integer(body[name], name, uint.MaxValue);

    private static ulong U64(JsonObject body, string name) => Integer(body[name], name, ulong.MaxValue);

    // serde reads a missing Option member as None, as it does null.
    private static byte? OptionalU8(JsonObject body, string name) => body[name] is null ? null : U8(body, name);

    private static ulong? OptionalU64(JsonObject body, string name) => body[name] is null ? null : U64(body, name);

    /// <summary>A JSON integer as serde_json reads one into an unsigned type: digits only (no fraction, exponent or sign), at most <paramref name="max"/>.</summary>
    private static ulong Integer(JsonNode? node, string name, ulong max, string what = What)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && ulong.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong read) && read <= max)
        {
            return read;
        }

        throw Malformed($"{what}'s {name} is {(node is null ? "missing" : KbsJson.Describe(node) + " " + Excerpt(node))}, expected an integer from 0 to {max}");
    }

    private static string Excerpt(JsonNode node)
    {
        string text = node.ToJsonString();
        return text.Length <= 40 ? text : text[..40] + "...";
    }

    internal static KbsException Malformed(string detail) => new(KbsFailure.MalformedResponse, detail + ".");
}
