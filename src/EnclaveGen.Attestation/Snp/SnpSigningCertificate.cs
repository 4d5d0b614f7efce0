using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The AMD extensions of a VCEK or VLEK certificate (OIDs under 1.3.6.1.4.1.3704.1): the product
/// name, the hwID (VCEK only) and the TCB the key was derived for, which must be the report's.
/// </summary>
internal static class SnpSigningCertificate
{
    private const string ProductNameOid = "1.3.6.1.4.1.3704.1.2";
    private const string HwIdOid = "1.3.6.1.4.1.3704.1.4";
    private const string CspIdOid = "1.3.6.1.4.1.3704.1.5";

    /// <summary>Requires the certificate's blSPL, teeSPL, snpSPL, ucodeSPL (and on Turin fmcSPL) extensions to equal REPORTED_TCB.</summary>
    /// <exception cref="EvidenceVerificationException">An extension is missing, malformed or different (<c>vcek.tcb</c>).</exception>
    public static void CheckTcb(ParsedCertificate certificate, string name, SnpTcbVersion reported)
    {
        CheckComponent(certificate, name, "1.3.6.1.4.1.3704.1.3.1", "blSPL", reported.BootLoader);
        CheckComponent(certificate, name, "1.3.6.1.4.1.3704.1.3.2", "teeSPL", reported.Tee);
        CheckComponent(certificate, name, "1.3.6.1.4.1.3704.1.3.3", "snpSPL", reported.Snp);
        CheckComponent(certificate, name, "1.3.6.1.4.1.3704.1.3.8", "ucodeSPL", reported.Microcode);
        if (reported.Fmc is { } fmc)
        {
            CheckComponent(certificate, name, "1.3.6.1.4.1.3704.1.3.9", "fmcSPL", fmc);
        }
    }

    /// <summary>The hwID extension's value, or null when the certificate has none (a VLEK).</summary>
    public static byte[]? HwId(ParsedCertificate certificate) => certificate.GetExtensionValue(HwIdOid);

    /// <summary>A VLEK's CSP ID (the cloud provider AMD issued it to), or null when the certificate has none.</summary>
    public static string? CspId(ParsedCertificate certificate)
    {
        byte[]? value = certificate.GetExtensionValue(CspIdOid);
        try
        {
            return value is not null && Asn1Object.FromByteArray(value) is DerIA5String text ? text.GetString() : null;
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            throw new EvidenceVerificationException("vcek.cspId", $"the certificate's CSP ID extension ({CspIdOid}) is malformed");
        }
    }

    /// <summary>The product name without its stepping (for example "Milan" from "Milan-B0").</summary>
    /// <exception cref="EvidenceVerificationException">The extension is missing or malformed (<c>vcek.productName</c>).</exception>
    public static string ProductName(ParsedCertificate certificate, string name)
    {
        byte[]? value = certificate.GetExtensionValue(ProductNameOid);
        try
        {
            if (value is not null && Asn1Object.FromByteArray(value) is DerIA5String text)
            {
                string product = text.GetString();
                int dash = product.IndexOf('-', StringComparison.Ordinal);
                return dash > 0 ? product[..dash] : product;
            }
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            // Reported below.
        }

        throw new EvidenceVerificationException("vcek.productName", $"the {name}'s productName extension ({ProductNameOid}) is missing or malformed");
    }

    private static void CheckComponent(ParsedCertificate certificate, string name, string oid, string component, byte expected)
    {
        byte[]? value = certificate.GetExtensionValue(oid);
        long? found = null;
        if (value is not null)
        {
            try
            {
                if (Asn1Object.FromByteArray(value) is DerInteger integer && integer.GetDerEncoded().AsSpan().SequenceEqual(value))
                {
                    found = integer.Value.BitLength <= 32 ? integer.Value.LongValue : -1;
                }
            }
            catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
            {
                found = null;
            }
        }

        if (found != expected)
        {
            throw new EvidenceVerificationException("vcek.tcb", $"the {name}'s {component} extension ({oid}) is {(found is null ? "missing or malformed" : found.ToString())}, expected {expected} from the report's REPORTED_TCB");
        }
    }
}
