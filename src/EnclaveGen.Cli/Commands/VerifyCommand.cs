using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen verify &lt;file&gt; [--root &lt;cert&gt;] [--chain &lt;pem&gt;] [--vcek &lt;cert&gt;] [--json] [--at &lt;time&gt;] [--allow-debug] [--allow-emulated]</c>:
/// detects the evidence format (SGX quote v3, TDX quote v4, SEV-SNP report; raw, hex or base64),
/// verifies it, prints the claims, and exits 0 when valid, 1 when invalid (naming the failed
/// check), 2 when the arguments cannot be used.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Exit code: the evidence verified and the policy accepts it.</summary>
    public const int Valid = 0;

    /// <summary>Exit code: the evidence is malformed, does not verify, or the policy refuses it.</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: the arguments cannot be used (missing file, unreadable certificate, bad time).</summary>
    public const int UnusableArguments = 2;

    /// <summary>Creates the <c>verify</c> command for the root command.</summary>
    public static Command Create()
    {
        var symbols = new Symbols();
        var command = new Command("verify", "Verify TEE evidence (SGX DCAP v3 quote, TDX v4 quote, SEV-SNP report) and print its claims.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(symbols.File);
        command.Options.Add(symbols.Root);
        command.Options.Add(symbols.Chain);
        command.Options.Add(symbols.Vcek);
        command.Options.Add(symbols.Json);
        command.Options.Add(symbols.At);
        command.Options.Add(symbols.AllowDebug);
        command.Options.Add(symbols.AllowEmulated);
        command.SetAction(parseResult => Execute(parseResult, symbols, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the CLI in-process with <paramref name="args"/> (starting with <c>verify</c>), writing to the given writers.</summary>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("enclavegen") { Create() };
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parseResult.Errors)
            {
                error.WriteLine($"enclavegen verify: {parseError.Message}");
            }

            return UnusableArguments;
        }

        return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static int Execute(ParseResult parse, Symbols symbols, TextWriter output, TextWriter error)
    {
        var request = new Request(output, error, parse.GetValue(symbols.Json));
        string[] files = parse.GetValue(symbols.File) ?? [];
        // Unknown options land among the file arguments (the argument takes any number, so that
        // every argument problem gets exit code 2 from here rather than a parse error).
        string[] unknown = [.. parse.UnmatchedTokens, .. files.Where(f => f.Length > 1 && f[0] == '-')];
        if (unknown.Length > 0)
        {
            return request.Unusable($"unknown argument(s): {string.Join(' ', unknown)}");
        }

        if (files.Length != 1)
        {
            return request.Unusable(files.Length == 0 ? "name the evidence file" : $"name one evidence file, not {files.Length}");
        }

        foreach (Option<string?> option in new[] { symbols.Root, symbols.Chain, symbols.Vcek, symbols.At })
        {
            if (parse.GetResult(option) is not null && string.IsNullOrEmpty(parse.GetValue(option)))
            {
                return request.Unusable($"{option.Name} needs a value");
            }
        }

        DateTimeOffset time = DateTimeOffset.UtcNow;
        string? at = parse.GetValue(symbols.At);
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return request.Unusable($"--at '{at}' is not a time (use ISO 8601, for example 2025-06-01T00:00:00Z)");
        }

        if (!TryReadFile(files[0], request, out byte[]? input))
        {
            return UnusableArguments;
        }

        byte[] evidence;
        EvidenceTextEncoding encoding;
        try
        {
            evidence = EvidenceEncoding.Decode(input, out encoding);
        }
        catch (AttestationException e)
        {
            return request.Invalid(EvidenceFormat.Unknown, e);
        }

        EvidenceFormat format = EvidenceFormatDetector.Detect(evidence);
        request.Describe(encoding, evidence.Length);
        var policy = new AttestationPolicy
        {
            AllowDebug = parse.GetValue(symbols.AllowDebug),
            AllowEmulated = parse.GetValue(symbols.AllowEmulated),
            VerificationTime = time,
        };

        string? root = parse.GetValue(symbols.Root);
        string? chain = parse.GetValue(symbols.Chain);
        string? vcek = parse.GetValue(symbols.Vcek);
        switch (format)
        {
            case EvidenceFormat.SgxQuoteV3:
                return VerifyDcap(request, format, evidence, root, chain, vcek, policy);
            case EvidenceFormat.SnpReport:
                return VerifySnp(request, evidence, root, chain, vcek, policy);
            case EvidenceFormat.TdxQuoteV4:
                return VerifyDcap(request, format, evidence, root, chain, vcek, policy);
            default:
                return request.Invalid(format, new EvidenceFormatException("evidence", "header", 0, "not an SGX DCAP v3 quote, a TDX v4 quote or an SEV-SNP report (v2/v3, 1184 bytes)"));
        }
    }

    /// <summary>The command's argument and options; one set per command, as a symbol belongs to the command it is added to.</summary>
    private sealed class Symbols
    {
        public Argument<string[]> File { get; } = new("file")
        {
            Description = "The evidence: an SGX DCAP v3 quote, a TDX v4 quote or an SEV-SNP report, as raw binary, hex or base64 ('-' reads standard input).",
            Arity = ArgumentArity.ZeroOrMore,
        };

        public Option<string?> Root { get; } = new("--root")
        {
            HelpName = "cert",
            Description = "The trust anchor certificate (DER or PEM) instead of the built-in roots: for SGX the root CA (an EnclaveGen emulated root is registered as emulated), for SNP the ARK.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Chain { get; } = new("--chain")
        {
            HelpName = "pem",
            Description = "SNP only: the ASK (optionally followed by the ARK), PEM or DER. Default: the built-in AMD Milan ASK.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Vcek { get; } = new("--vcek")
        {
            HelpName = "cert",
            Description = "SNP only: the VCEK certificate that signed the report (DER or PEM). Required for SNP reports.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text." };

        public Option<string?> At { get; } = new("--at")
        {
            HelpName = "time",
            Description = "The verification time (ISO 8601, UTC unless an offset is given). Default: now.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<bool> AllowDebug { get; } = new("--allow-debug") { Description = "Accept debug enclaves and guests (whose memory is readable)." };

        public Option<bool> AllowEmulated { get; } = new("--allow-emulated") { Description = "Accept evidence from an emulated platform (which protects nothing from the host)." };
    }

    private static int VerifyDcap(Request request, EvidenceFormat format, byte[] evidence, string? rootPath, string? chainPath, string? vcekPath, AttestationPolicy policy)
    {
        if (chainPath is not null || vcekPath is not null)
        {
            return request.Unusable("--chain and --vcek apply to SEV-SNP reports; a DCAP quote carries its own certificate chain");
        }

        IReadOnlyList<TrustAnchor> anchors = TrustAnchor.Defaults;
        if (rootPath is not null)
        {
            if (!TryReadCertificates(rootPath, "--root", request, out IReadOnlyList<byte[]>? roots) || !ExpectOne(roots, "--root", request))
            {
                return UnusableArguments;
            }

            anchors = EmulatedAttestationAuthority.IsEmulatedRoot(roots[0])
                ? [EmulatedAttestationAuthority.CreateTrustAnchor(roots[0])]
                : [TrustAnchor.ForSgx(roots[0], "given root", isEmulated: false, QuotingEnclaveIdentity.IntelQe3, QuotingEnclaveIdentity.IntelTdQe)];
        }

        AttestationClaims claims;
        try
        {
            var verifier = new AttestationVerifier(anchors);
            claims = format == EvidenceFormat.TdxQuoteV4
                ? verifier.CheckTdxQuote(evidence, policy.EffectiveTime)
                : verifier.CheckSgxQuote(evidence, policy.EffectiveTime);
        }
        catch (AttestationException e)
        {
            return request.Invalid(format, e);
        }

        return request.Verified(format, claims, policy);
    }

    private static int VerifySnp(Request request, byte[] evidence, string? rootPath, string? chainPath, string? vcekPath, AttestationPolicy policy)
    {
        if (vcekPath is null)
        {
            return request.Unusable("an SEV-SNP report does not carry its VCEK: give it with --vcek <cert>");
        }

        if (!TryReadCertificates(vcekPath, "--vcek", request, out IReadOnlyList<byte[]>? vcek) || !ExpectOne(vcek, "--vcek", request))
        {
            return UnusableArguments;
        }

        IReadOnlyList<byte[]> chain = [];
        if (chainPath is not null && !TryReadCertificates(chainPath, "--chain", request, out chain!))
        {
            return UnusableArguments;
        }

        IReadOnlyList<TrustAnchor> anchors = TrustAnchor.Defaults;
        if (rootPath is not null)
        {
            if (!TryReadCertificates(rootPath, "--root", request, out IReadOnlyList<byte[]>? roots) || !ExpectOne(roots, "--root", request))
            {
                return UnusableArguments;
            }

            anchors = [TrustAnchor.ForSnp(roots[0], "given ARK", isEmulated: false)];
        }

        SnpClaims claims;
        try
        {
            claims = new AttestationVerifier(anchors).CheckSnpReport(evidence, new SnpCertificates(vcek[0], chain), policy.EffectiveTime);
        }
        catch (AttestationException e)
        {
            return request.Invalid(EvidenceFormat.SnpReport, e);
        }

        return request.Verified(EvidenceFormat.SnpReport, claims, policy);
    }

    private static bool ExpectOne(IReadOnlyList<byte[]> certificates, string option, Request request)
    {
        if (certificates.Count == 1)
        {
            return true;
        }

        request.Unusable($"{option} must hold one certificate, it holds {certificates.Count}");
        return false;
    }

    private static bool TryReadFile(string path, Request request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        try
        {
            if (path == "-")
            {
                using Stream stdin = Console.OpenStandardInput();
                using var memory = new MemoryStream();
                stdin.CopyTo(memory);
                bytes = memory.ToArray();
                return true;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                request.Unusable($"'{path}' does not exist");
                return false;
            }

            if (info.Length > EvidenceEncoding.MaxInputSize)
            {
                request.Unusable($"'{path}' is {info.Length} bytes; evidence files are at most {EvidenceEncoding.MaxInputSize}");
                return false;
            }

            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            request.Unusable($"cannot read '{path}': {ErrorText.Message(e)}");
            return false;
        }
    }

    private static bool TryReadCertificates(string path, string option, Request request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<byte[]>? certificates)
    {
        certificates = null;
        if (!TryReadFile(path, request, out byte[]? bytes))
        {
            return false;
        }

        try
        {
            certificates = TrustAnchor.ReadCertificates(bytes);
            return true;
        }
        catch (AttestationException e)
        {
            request.Unusable($"{option} '{path}' is not a certificate (DER or PEM): {e.Message}");
            return false;
        }
    }

    /// <summary>One invocation's output: text or one JSON object.</summary>
    private sealed class Request(TextWriter output, TextWriter error, bool json)
    {
        private string _encodingName = "raw";
        private int _length;

        public void Describe(EvidenceTextEncoding encoding, int length)
        {
            _encodingName = encoding.ToString().ToLowerInvariant();
            _length = length;
        }

        public int Unusable(string message)
        {
            error.WriteLine($"enclavegen verify: {message}");
            return UnusableArguments;
        }

        public int Invalid(EvidenceFormat format, AttestationException e)
        {
            if (json)
            {
                WriteJson(writer =>
                {
                    writer.WriteString("format", FormatName(format));
                    writer.WriteBoolean("valid", false);
                    writer.WriteString("failedCheck", e.Check);
                    writer.WriteString("error", e.Message);
                });
            }
            else
            {
                output.WriteLine($"Evidence: {FormatName(format)} ({_encodingName}, {_length} bytes)");
                output.WriteLine($"INVALID: {e.Message}");
                output.WriteLine($"Failed check: {e.Check}");
            }

            return VerifyCommand.Invalid;
        }

        public int Verified(EvidenceFormat format, AttestationClaims claims, AttestationPolicy policy)
        {
            AttestationPolicyException? refusal = null;
            try
            {
                policy.Enforce(claims);
            }
            catch (AttestationPolicyException e)
            {
                refusal = e;
            }

            if (json)
            {
                WriteJson(writer =>
                {
                    writer.WriteString("format", FormatName(format));
                    writer.WriteBoolean("valid", refusal is null);
                    if (refusal is not null)
                    {
                        writer.WriteString("failedCheck", refusal.Check);
                        writer.WriteString("error", refusal.Message);
                    }

                    writer.WriteString("trustAnchor", claims.TrustAnchor.Name);
                    writer.WriteBoolean("isEmulated", claims.IsEmulated);
                    writer.WriteBoolean("debug", claims.IsDebug);
                    writer.WriteString("reportData", Hex(claims.ReportData));
                    if (claims is SgxClaims sgx)
                    {
                        writer.WriteString("uniqueId", Hex(sgx.UniqueId));
                        writer.WriteString("signerId", Hex(sgx.SignerId));
                        writer.WriteNumber("productId", sgx.Report.IsvProdId);
                        writer.WriteNumber("securityVersion", sgx.Report.IsvSvn);
                        writer.WriteString("cpuSvn", Hex(sgx.CpuSvn));
                        writer.WriteString("attributes", Hex(sgx.Report.ToBytes().AsMemory(48, 16)));
                        writer.WriteNumber("qeSvn", sgx.QeSvn);
                        writer.WriteNumber("pceSvn", sgx.PceSvn);
                        writer.WriteString("qeMrEnclave", Hex(sgx.QuotingEnclave.MrEnclave));
                        writer.WriteString("qeMrSigner", Hex(sgx.QuotingEnclave.MrSigner));
                        writer.WriteNumber("qeProductId", sgx.QuotingEnclave.IsvProdId);
                    }
                    else if (claims is TdxClaims tdx)
                    {
                        writer.WriteString("uniqueId", Hex(tdx.UniqueId));
                        writer.WriteString("mrTd", Hex(tdx.MrTd));
                        writer.WriteString("mrSeam", Hex(tdx.Report.MrSeam));
                        writer.WriteString("mrSignerSeam", Hex(tdx.Report.MrSignerSeam));
                        writer.WriteString("teeTcbSvn", Hex(tdx.Report.TeeTcbSvn));
                        writer.WriteString("tdAttributes", $"0x{tdx.Report.TdAttributes:x16}");
                        writer.WriteString("xfam", $"0x{tdx.Report.Xfam:x16}");
                        writer.WriteString("mrConfigId", Hex(tdx.Report.MrConfigId));
                        writer.WriteString("mrOwner", Hex(tdx.Report.MrOwner));
                        writer.WriteString("mrOwnerConfig", Hex(tdx.Report.MrOwnerConfig));
                        for (int i = 0; i < 4; i++)
                        {
                            writer.WriteString($"rtmr{i}", Hex(tdx.Report.Rtmrs.Slice(i * 48, 48)));
                        }

                        writer.WriteString("qeMrSigner", Hex(tdx.QuotingEnclave.MrSigner));
                        writer.WriteNumber("qeProductId", tdx.QuotingEnclave.IsvProdId);
                    }
                    else if (claims is SnpClaims snp)
                    {
                        writer.WriteString("measurement", Hex(snp.Measurement));
                        writer.WriteString("chipId", Hex(snp.ChipId));
                        writer.WriteNumber("vmpl", snp.Vmpl);
                        writer.WriteNumber("guestSvn", snp.GuestSvn);
                        writer.WriteString("policy", $"0x{snp.Policy:x}");
                        writer.WriteNumber("version", snp.Report.Version);
                        writer.WriteString("currentTcb", snp.CurrentTcb.ToHex());
                        writer.WriteString("reportedTcb", snp.ReportedTcb.ToHex());
                        writer.WriteString("committedTcb", snp.CommittedTcb.ToHex());
                        writer.WriteString("launchTcb", snp.LaunchTcb.ToHex());
                        writer.WriteString("hostData", Hex(snp.HostData));
                        writer.WriteString("idKeyDigest", Hex(snp.Report.IdKeyDigest));
                        writer.WriteString("product", snp.ProductName);
                    }
                });
            }
            else
            {
                WriteText(format, claims, refusal);
            }

            return refusal is null ? Valid : VerifyCommand.Invalid;
        }

        private void WriteText(EvidenceFormat format, AttestationClaims claims, AttestationPolicyException? refusal)
        {
            output.WriteLine($"Evidence: {FormatName(format)} ({_encodingName}, {_length} bytes)");
            output.WriteLine($"Signatures and certificate chain: verified (trust anchor: {claims.TrustAnchor})");
            if (claims.IsEmulated)
            {
                output.WriteLine("!!! EMULATED: this evidence comes from an emulated platform; it protects nothing from the host. !!!");
            }

            if (claims.IsDebug)
            {
                output.WriteLine("!!! DEBUG: this enclave/guest runs in debug mode; its memory can be read. Never trust it with secrets. !!!");
            }

            if (claims is SgxClaims sgx)
            {
                output.WriteLine($"  uniqueId (MRENCLAVE):  {Hex(sgx.UniqueId)}");
                output.WriteLine($"  signerId (MRSIGNER):   {Hex(sgx.SignerId)}");
                output.WriteLine($"  productId (ISVPRODID): {sgx.Report.IsvProdId}");
                output.WriteLine($"  securityVersion:       {sgx.Report.IsvSvn}");
                output.WriteLine($"  debug:                 {(sgx.IsDebug ? "yes" : "no")}");
                output.WriteLine($"  reportData:            {Hex(sgx.ReportData)}");
                output.WriteLine($"  cpuSvn:                {Hex(sgx.CpuSvn)}");
                output.WriteLine($"  quoting enclave:       MRSIGNER {Hex(sgx.QuotingEnclave.MrSigner)}, ISVPRODID {sgx.QuotingEnclave.IsvProdId}, ISVSVN {sgx.QuotingEnclave.IsvSvn}");
                output.WriteLine($"  isEmulated:            {(sgx.IsEmulated ? "yes" : "no")}");
            }
            else if (claims is TdxClaims tdx)
            {
                output.WriteLine($"  uniqueId (MRTD): {Hex(tdx.MrTd)}");
                output.WriteLine($"  mrSeam:          {Hex(tdx.Report.MrSeam)}");
                output.WriteLine($"  teeTcbSvn:       {Hex(tdx.Report.TeeTcbSvn)}");
                output.WriteLine($"  tdAttributes:    0x{tdx.Report.TdAttributes:x16} (debug {(tdx.IsDebug ? "yes" : "no")})");
                for (int i = 0; i < 4; i++)
                {
                    output.WriteLine($"  rtmr{i}:           {Hex(tdx.Report.Rtmrs.Slice(i * 48, 48))}");
                }

                output.WriteLine($"  reportData:      {Hex(tdx.ReportData)}");
                output.WriteLine($"  quoting enclave: MRSIGNER {Hex(tdx.QuotingEnclave.MrSigner)}, ISVPRODID {tdx.QuotingEnclave.IsvProdId}, ISVSVN {tdx.QuotingEnclave.IsvSvn}");
                output.WriteLine($"  isEmulated:      {(tdx.IsEmulated ? "yes" : "no")}");
            }
            else if (claims is SnpClaims snp)
            {
                output.WriteLine($"  measurement:  {Hex(snp.Measurement)}");
                output.WriteLine($"  reportData:   {Hex(snp.ReportData)}");
                output.WriteLine($"  chipId:       {Hex(snp.ChipId)}");
                output.WriteLine($"  policy:       0x{snp.Policy:x} (debug {(snp.IsDebug ? "allowed" : "off")})");
                output.WriteLine($"  vmpl:         {snp.Vmpl}");
                output.WriteLine($"  guestSvn:     {snp.GuestSvn}");
                output.WriteLine($"  currentTcb:   {snp.CurrentTcb}");
                output.WriteLine($"  reportedTcb:  {snp.ReportedTcb}");
                output.WriteLine($"  product:      {snp.ProductName}");
                output.WriteLine($"  isEmulated:   {(snp.IsEmulated ? "yes" : "no")}");
            }

            output.WriteLine(refusal is null
                ? "VALID"
                : $"INVALID: refused by policy: {refusal.Message}{(refusal.Check == "policy.debug" ? " (use --allow-debug to accept)" : refusal.Check == "policy.emulated" ? " (use --allow-emulated to accept)" : string.Empty)}");
            if (refusal is not null)
            {
                output.WriteLine($"Failed check: {refusal.Check}");
            }
        }

        private void WriteJson(Action<Utf8JsonWriter> body)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        }

        private static string FormatName(EvidenceFormat format) => format switch
        {
            EvidenceFormat.SgxQuoteV3 => "sgx-quote-v3",
            EvidenceFormat.TdxQuoteV4 => "tdx-quote-v4",
            EvidenceFormat.SnpReport => "snp-report",
            _ => "unknown",
        };

        private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
    }
}
