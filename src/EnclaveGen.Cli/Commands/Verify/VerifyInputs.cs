using System.Globalization;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Cli.Commands.Verify;

/// <summary>
/// Turns the options of <c>enclavegen verify</c> into what the verifier takes: the evidence bytes,
/// the trust anchors (the built-in ones plus each <c>--root</c>), the certificates and collateral,
/// and the policy. Every problem is an <see cref="UnusableInputException"/> naming the option.
/// </summary>
internal static class VerifyInputs
{
    /// <summary>The largest file read (collateral JSON can be large; evidence is a few kilobytes).</summary>
    private const int MaxFileSize = 4 * 1024 * 1024;

    /// <summary>Reads a file (or standard input for '-'), saying plainly what is wrong with the path.</summary>
    public static byte[] ReadFile(string path, string what)
    {
        try
        {
            if (path == "-")
            {
                using Stream stdin = Console.OpenStandardInput();
                using var memory = new MemoryStream();
                stdin.CopyTo(memory);
                return memory.ToArray();
            }

            if (Directory.Exists(path))
            {
                throw new UnusableInputException($"{what} '{path}' is a directory, not a file");
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UnusableInputException($"{what} '{path}' does not exist");
            }

            if (info.Length > MaxFileSize)
            {
                throw new UnusableInputException($"{what} '{path}' is {info.Length} bytes; at most {MaxFileSize} are read");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UnusableInputException($"cannot read {what} '{path}': {ErrorText.Message(e)}");
        }
    }

    /// <summary>Reads the evidence file and undoes its text encoding (hex, 0x-hex, base64).</summary>
    public static (byte[] Evidence, EvidenceTextEncoding Encoding) ReadEvidence(string path)
    {
        byte[] input = ReadFile(path, "the evidence file");
        try
        {
            byte[] evidence = EvidenceEncoding.Decode(input, out EvidenceTextEncoding encoding);
            return (evidence, encoding);
        }
        catch (EvidenceFormatException e)
        {
            throw new UnusableInputException($"the evidence file '{path}' cannot be read: {ErrorText.Message(e)}");
        }
    }

    /// <summary>Reads certificates (DER, or PEM with LF or CRLF, with or without a final newline).</summary>
    public static IReadOnlyList<byte[]> ReadCertificates(string path, string option)
    {
        byte[] bytes = ReadFile(path, option);
        try
        {
            return TrustAnchor.ReadCertificates(bytes);
        }
        catch (AttestationException e)
        {
            throw new UnusableInputException($"{option} '{path}' is not a certificate (DER or PEM): {e.Message}");
        }
    }

    /// <summary>The built-in anchors plus one per <c>--root</c> (an EnclaveGen emulated SGX root or emulated ARK is registered as emulated).</summary>
    public static IReadOnlyList<TrustAnchor> Anchors(IReadOnlyList<string> roots)
    {
        var anchors = new List<TrustAnchor>(TrustAnchor.Defaults);
        foreach (string path in roots)
        {
            IReadOnlyList<byte[]> certificates = ReadCertificates(path, "--root");
            if (certificates.Count != 1)
            {
                throw new UnusableInputException($"--root '{path}' must hold one certificate, it holds {certificates.Count}");
            }

            string name = $"given root ({Path.GetFileName(path)})";
            if (EmulatedAttestationAuthority.IsEmulatedRoot(certificates[0]))
            {
                anchors.Add(EmulatedAttestationAuthority.CreateTrustAnchor(certificates[0]));
            }
            else if (EmulatedSnpAuthority.IsEmulatedArk(certificates[0]))
            {
                anchors.Add(EmulatedSnpAuthority.CreateTrustAnchor(certificates[0]));
            }
            else
            {
                // A root the caller trusts vouches for whichever evidence chains to it: DCAP quotes
                // (with Intel's quoting enclaves and TCB signer) or SEV-SNP reports (as an ARK).
                anchors.Add(TrustAnchor.ForSgx(certificates[0], name, isEmulated: false, QuotingEnclaveIdentity.IntelQe3, QuotingEnclaveIdentity.IntelTdQe, TrustAnchor.IntelTcbSigningSubject));
                anchors.Add(TrustAnchor.ForSnp(certificates[0], name, isEmulated: false));
            }
        }

        return anchors;
    }

    /// <summary>The certificates and collateral of the options.</summary>
    public static EvidenceInput Input(string? signing, string? chain, string? collateralJson, string? tcbInfo, string? qeIdentity, string? tcbSigningChain, IReadOnlyList<string> crls)
    {
        var certificates = new List<byte[]>();
        if (signing is not null)
        {
            IReadOnlyList<byte[]> one = ReadCertificates(signing, "--vcek");
            certificates.Add(one.Count == 1 ? one[0] : throw new UnusableInputException($"--vcek '{signing}' must hold one certificate, it holds {one.Count}"));
        }
        else if (chain is not null)
        {
            throw new UnusableInputException("--chain gives the issuers of the VCEK or VLEK: give the signing certificate itself with --vcek too");
        }

        if (chain is not null)
        {
            certificates.AddRange(ReadCertificates(chain, "--chain"));
        }

        return new EvidenceInput { Certificates = certificates, Collateral = Collateral(collateralJson, tcbInfo, qeIdentity, tcbSigningChain, crls) };
    }

    /// <summary>The policy of the options: the time, what debug and emulated evidence and which TCB statuses are accepted.</summary>
    public static AttestationPolicy Policy(string? at, bool allowDebug, bool allowEmulated, IReadOnlyList<string> allowTcb, bool allowOutdatedTcb)
    {
        DateTimeOffset time = DateTimeOffset.UtcNow;
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            throw new UnusableInputException($"--at '{at}' is not a time (use ISO 8601, for example 2025-06-01T00:00:00Z)");
        }

        var statuses = new HashSet<TcbStatus> { TcbStatus.UpToDate };
        if (allowOutdatedTcb)
        {
            statuses.UnionWith(AttestationPolicy.AllButRevoked);
        }

        foreach (string text in allowTcb)
        {
            if (!Enum.TryParse(text, ignoreCase: false, out TcbStatus status) || status.ToString() != text)
            {
                throw new UnusableInputException($"--allow-tcb '{text}' is not a TCB status; use Intel's spelling: {string.Join(", ", AttestationPolicy.AllButRevoked)}");
            }

            if (status == TcbStatus.Revoked)
            {
                throw new UnusableInputException("--allow-tcb Revoked: a revoked platform is never accepted");
            }

            statuses.Add(status);
        }

        return new AttestationPolicy { AllowDebug = allowDebug, AllowEmulated = allowEmulated, AcceptedTcbStatuses = statuses, VerificationTime = time };
    }

    private static AttestationCollateral? Collateral(string? collateralJson, string? tcbInfo, string? qeIdentity, string? tcbSigningChain, IReadOnlyList<string> crlPaths)
    {
        var crls = new List<byte[]>();
        foreach (string path in crlPaths)
        {
            byte[] bytes = ReadFile(path, "--crl");
            try
            {
                crls.AddRange(AttestationCollateral.ReadCrls(bytes));
            }
            catch (EvidenceFormatException e)
            {
                throw new UnusableInputException($"--crl '{path}' is not a CRL (DER, PEM or hex): {ErrorText.Message(e)}");
            }
        }

        if (collateralJson is not null)
        {
            if (tcbInfo is not null || qeIdentity is not null || tcbSigningChain is not null)
            {
                throw new UnusableInputException("--collateral already holds the TCB info and QE identity: give either --collateral or --tcb-info, --qe-identity and --tcb-signing-chain");
            }

            byte[] json = ReadFile(collateralJson, "--collateral");
            try
            {
                AttestationCollateral all = DcapCollateralJson.Read(json);
                return all with { Crls = [.. all.Crls, .. crls] };
            }
            catch (EvidenceFormatException e)
            {
                throw new UnusableInputException($"--collateral '{collateralJson}' is not quote collateral JSON: {ErrorText.Message(e)}");
            }
        }

        if ((tcbInfo is null) != (qeIdentity is null))
        {
            throw new UnusableInputException(tcbInfo is null ? "--qe-identity needs --tcb-info too: a TCB status needs both" : "--tcb-info needs --qe-identity too: a TCB status needs both");
        }

        if (tcbInfo is null || qeIdentity is null)
        {
            return tcbSigningChain is not null
                ? throw new UnusableInputException("--tcb-signing-chain applies to --tcb-info and --qe-identity")
                : crls.Count > 0 ? new AttestationCollateral(crls) : null;
        }

        IReadOnlyList<byte[]> signing = tcbSigningChain is not null
            ? ReadCertificates(tcbSigningChain, "--tcb-signing-chain")
            : throw new UnusableInputException("--tcb-info and --qe-identity need --tcb-signing-chain: the TCB Signing certificate and the root, as Intel's PCS sends them in the TCB-Info-Issuer-Chain header");
        try
        {
            return new AttestationCollateral(crls)
            {
                TcbInfo = TcbInfoCollateral.FromPcsResponse(ReadFile(tcbInfo, "--tcb-info"), signing),
                QeIdentity = QeIdentityCollateral.FromPcsResponse(ReadFile(qeIdentity, "--qe-identity"), signing),
            };
        }
        catch (EvidenceFormatException e)
        {
            throw new UnusableInputException($"--tcb-info or --qe-identity is not the JSON Intel's PCS serves: {ErrorText.Message(e)}");
        }
    }
}
