using System.Text.Json;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>Checks Intel SGX TCB info collateral (versions 2 and 3) against the PCK certificate's TCB.</summary>
internal static class TcbInfoChecker
{
    private static readonly CollateralJson s_json = new("collateral.tcbInfo");

    /// <summary>Returns the platform's TCB status (for example UpToDate, SWHardeningNeeded or OutOfDate).</summary>
    /// <exception cref="EvidenceVerificationException">A <c>collateral.tcbInfo.*</c> check failed.</exception>
    public static string Check(TcbInfoCollateral collateral, PckCertificateInfo pck, TrustAnchor quoteAnchor, Func<IReadOnlyList<ParsedCertificate>, IReadOnlyList<string>, TrustAnchor> validateChain, PublicKeyCache keys, DateTimeOffset time) =>
        s_json.Read(collateral.Json, collateral.SigningChainDer, "tcbInfo", quoteAnchor, validateChain, keys, info => CheckInfo(info, pck, time));

    private static string CheckInfo(JsonElement info, PckCertificateInfo pck, DateTimeOffset time)
    {
        CollateralJson j = s_json;
        int version = j.Int(info, "version");
        if (version is not (2 or 3) || (version == 3 && j.String(info, "id") != "SGX"))
        {
            throw j.Fail("format", $"expected SGX TCB info of version 2 or 3, found version {version}");
        }

        j.CheckCurrent(info, time);
        byte[] fmspc = j.Hex(j.String(info, "fmspc"), 6, "fmspc");
        if (!fmspc.AsSpan().SequenceEqual(pck.Fmspc.Span))
        {
            throw j.Fail("platform", $"the TCB info is for FMSPC {Convert.ToHexStringLower(fmspc)}, the PCK certificate's is {Convert.ToHexStringLower(pck.Fmspc.Span)}");
        }

        byte[] pceId = j.Hex(j.String(info, "pceId"), 2, "pceId");
        if (!pceId.AsSpan().SequenceEqual(pck.PceId.Span))
        {
            throw j.Fail("platform", $"the TCB info is for PCE ID {Convert.ToHexStringLower(pceId)}, the PCK certificate's is {Convert.ToHexStringLower(pck.PceId.Span)}");
        }

        // Levels come highest first; the first one the PCK's TCB reaches in every component gives the status.
        foreach (JsonElement level in j.Property(info, "tcbLevels", JsonValueKind.Array).EnumerateArray())
        {
            JsonElement tcb = j.Property(level, "tcb", JsonValueKind.Object);
            int[] components = new int[16];
            if (version == 3)
            {
                JsonElement list = j.Property(tcb, "sgxtcbcomponents", JsonValueKind.Array);
                if (list.GetArrayLength() != 16)
                {
                    throw j.Fail("format", $"a TCB level has {list.GetArrayLength()} SGX TCB components, expected 16");
                }

                int i = 0;
                foreach (JsonElement component in list.EnumerateArray())
                {
                    components[i++] = j.Int(component, "svn");
                }
            }
            else
            {
                for (int i = 0; i < 16; i++)
                {
                    components[i] = j.Int(tcb, $"sgxtcbcomp{i + 1:00}svn");
                }
            }

            int pceSvn = j.Int(tcb, "pcesvn");
            bool reached = pck.PceSvn >= pceSvn;
            for (int i = 0; i < 16 && reached; i++)
            {
                reached = pck.TcbComponents.Span[i] >= components[i];
            }

            if (reached)
            {
                string status = j.String(level, "tcbStatus");
                return status != "Revoked" ? status : throw j.Fail("tcb", "the platform's TCB is at a level Intel marks Revoked");
            }
        }

        throw j.Fail("tcb", "the platform's TCB (the PCK certificate's) is below every TCB level of the TCB info");
    }
}
