using System.CommandLine;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Cli.Commands.Verify;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen verify &lt;file&gt; [options]</c>: detects the evidence format (any format in the
/// verifier's registration table; raw, hex, 0x-hex or base64), verifies it with the built-in trust
/// anchors and any <c>--root</c>, evaluates Intel collateral when given, applies the policy, prints
/// the claims, and exits 0 when valid and accepted, 1 when invalid or refused (naming the failed
/// check), 2 when an argument or input file cannot be used.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Exit code: the evidence verified and the policy accepts it.</summary>
    public const int Valid = ExitCode.Success;

    /// <summary>Exit code: the evidence is malformed, does not verify, or the policy refuses it.</summary>
    public const int Invalid = ExitCode.No;

    /// <summary>Exit code: an argument or input file cannot be used (missing, a directory, unreadable, not what the option takes).</summary>
    public const int UnusableArguments = ExitCode.Unusable;

    /// <summary>Creates the <c>verify</c> command for the root command.</summary>
    public static Command Create()
    {
        var symbols = new Symbols();
        var command = new Command("verify", "Verify TEE evidence (Intel SGX or TDX DCAP quote, AMD SEV-SNP report), evaluate Intel collateral, and print its claims.");
        command.Arguments.Add(symbols.File);
        foreach (Option option in symbols.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult => Execute(parseResult, symbols, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Execute(ParseResult parse, Symbols symbols, TextWriter output, TextWriter error)
    {
        var result = new VerifyOutput(output, error, parse.GetValue(symbols.Json));
        string encodingName = "raw";
        int length = 0;
        EvidenceFormat? format = null;
        try
        {
            string file = parse.GetRequiredValue(symbols.File);
            if (Value(parse, symbols.Key) is { } key)
            {
                return ArmTokenVerification.Run(file, key, Value(parse, symbols.Nonce), parse.GetValue(symbols.AllowEmulated), new CommandOutput(output, error, parse.GetValue(symbols.Json)));
            }

            if (parse.GetResult(symbols.Nonce) is not null)
            {
                throw new UnusableInputException("--nonce checks the challenge of a PSA or CCA token: give the token's key with --key");
            }

            AttestationPolicy policy = VerifyInputs.Policy(Value(parse, symbols.At), parse.GetValue(symbols.AllowDebug), parse.GetValue(symbols.AllowEmulated), parse.GetValue(symbols.AllowTcb) ?? [], parse.GetValue(symbols.AllowOutdatedTcb));
            IReadOnlyList<TrustAnchor> anchors = VerifyInputs.Anchors(parse.GetValue(symbols.Root) ?? []);
            EvidenceInput input = VerifyInputs.Input(Value(parse, symbols.Vcek), Value(parse, symbols.Chain), Value(parse, symbols.Collateral), Value(parse, symbols.TcbInfo),
                Value(parse, symbols.QeIdentity), Value(parse, symbols.TcbSigningChain), parse.GetValue(symbols.Crl) ?? []);
            (byte[] evidence, EvidenceTextEncoding encoding) = VerifyInputs.ReadEvidence(file);
            encodingName = encoding.ToString().ToLowerInvariant();
            length = evidence.Length;

            var verifier = new AttestationVerifier(anchors);
            format = verifier.Detect(evidence);
            AttestationClaims claims;
            try
            {
                claims = verifier.Check(evidence, policy.EffectiveTime, input);
            }
            catch (AttestationException e) when (IsInputProblem(e.Check))
            {
                throw new UnusableInputException(e.Message + (e.Check == "input.certificates" ? " (--vcek, --chain)" : " (--collateral, or --tcb-info, --qe-identity, --tcb-signing-chain and --crl)"));
            }

            AttestationPolicyException? refusal = null;
            try
            {
                policy.Enforce(claims);
            }
            catch (AttestationPolicyException e)
            {
                refusal = e;
            }

            return result.Verified(claims, encodingName, length, refusal);
        }
        catch (UnusableInputException e)
        {
            return result.Unusable(e.Message);
        }
        catch (AttestationException e)
        {
            return result.Invalid(format, encodingName, length, e);
        }
    }

    /// <summary>Failures that mean the caller gave too little or the wrong kind of input, not that the evidence is bad.</summary>
    private static bool IsInputProblem(string check) => check.StartsWith("input.", StringComparison.Ordinal) || check == "collateral.incomplete";

    private static string? Value(ParseResult parse, Option<string?> option) =>
        parse.GetResult(option) is not null && string.IsNullOrEmpty(parse.GetValue(option))
            ? throw new UnusableInputException($"{option.Name} needs a value")
            : parse.GetValue(option);

    /// <summary>The command's argument and options; one set per command, as a symbol belongs to the command it is added to.</summary>
    private sealed class Symbols
    {
        public Argument<string> File { get; } = new("file")
        {
            Description = "The evidence: an SGX or TDX DCAP quote or an SEV-SNP report, as raw binary, hex (0x allowed) or base64 ('-' reads standard input).",
        };

        public Option<string[]> Root { get; } = new("--root")
        {
            HelpName = "cert",
            Description = "A trust anchor to add beside the built-in ones (Intel SGX Root CA; AMD ARK Milan, Genoa, Turin), DER or PEM; repeatable. An EnclaveGen emulated root is registered as emulated. The output names the anchor used.",
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string?> Vcek { get; } = new("--vcek", "--vlek")
        {
            HelpName = "cert",
            Description = "SEV-SNP: the VCEK (or VLEK) certificate that signed the report, DER or PEM. Required for SEV-SNP reports.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Chain { get; } = new("--chain")
        {
            HelpName = "pem",
            Description = "SEV-SNP: the ASK (or ASVK for a VLEK), optionally with the ARK, in any order (a bundle of ASK, ARK and ASVK works), PEM or DER. Default: the built-in ones of the report's product.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Collateral { get; } = new("--collateral")
        {
            HelpName = "json",
            Description = "Intel DCAP collateral as one JSON object with the nine fields pck_crl_issuer_chain, root_ca_crl, pck_crl, tcb_info_issuer_chain, tcb_info, tcb_info_signature, qe_identity_issuer_chain, qe_identity, qe_identity_signature.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> TcbInfo { get; } = new("--tcb-info")
        {
            HelpName = "json",
            Description = "Intel's TCB info as the PCS serves it ({\"tcbInfo\":...,\"signature\":...}); needs --qe-identity, --tcb-signing-chain and --crl.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> QeIdentity { get; } = new("--qe-identity")
        {
            HelpName = "json",
            Description = "Intel's QE identity as the PCS serves it ({\"enclaveIdentity\":...,\"signature\":...}).",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> TcbSigningChain { get; } = new("--tcb-signing-chain")
        {
            HelpName = "pem",
            Description = "The chain that signs --tcb-info and --qe-identity (Intel SGX TCB Signing, then the root): the PCS's TCB-Info-Issuer-Chain header.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string[]> Crl { get; } = new("--crl")
        {
            HelpName = "file",
            Description = "A CRL (DER, PEM or hex), repeatable: Intel's root CA and PCK CA CRLs, AMD's KDS CRL. A CRL of a CA outside the evidence's chain is skipped.",
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string?> Key { get; } = new("--key")
        {
            HelpName = "pem",
            Description = "Verify an Arm PSA token with this attestation key (the device's IAK), or an Arm CCA token with this platform key (the CPAK): an EC public key in PEM. The file is then a token (CBOR), not a quote.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Nonce { get; } = new("--nonce")
        {
            HelpName = "hex",
            Description = "With --key: the challenge the token must carry (PSA nonce, CCA realm challenge), in hex.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text (errors too)." };

        public Option<string?> At { get; } = new("--at")
        {
            HelpName = "time",
            Description = "The verification time (ISO 8601, UTC unless an offset is given). Default: now.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<bool> AllowDebug { get; } = new("--allow-debug") { Description = "Accept debug enclaves and guests (whose memory is readable)." };

        public Option<bool> AllowEmulated { get; } = new("--allow-emulated") { Description = "Accept evidence from an emulated platform (which protects nothing from the host)." };

        public Option<string[]> AllowTcb { get; } = new("--allow-tcb")
        {
            HelpName = "status",
            Description = "Accept this TCB status besides UpToDate (Intel's spelling, for example SWHardeningNeeded); repeatable. Revoked is never accepted.",
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<bool> AllowOutdatedTcb { get; } = new("--allow-outdated-tcb") { Description = "Accept every TCB status but Revoked." };

        public IEnumerable<Option> All => [Root, Vcek, Chain, Collateral, TcbInfo, QeIdentity, TcbSigningChain, Crl, Key, Nonce, Json, At, AllowDebug, AllowEmulated, AllowTcb, AllowOutdatedTcb];
    }
}
