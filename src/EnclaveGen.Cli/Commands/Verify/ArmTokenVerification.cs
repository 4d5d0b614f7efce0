using System.Security.Cryptography;
using System.Text.Json;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Arm;
using EnclaveGen.Cli.CommandLine;

namespace EnclaveGen.Cli.Commands.Verify;

/// <summary>
/// <c>enclavegen verify TOKEN --key PUBLIC.pem</c>: an Arm PSA token (checked with the device's IAK)
/// or an Arm CCA token (checked with the platform's CPAK; the realm token with the RAK it carries,
/// bound by the platform challenge). Exit codes as for quotes: 0 valid, 1 invalid, 2 unusable.
/// </summary>
internal static class ArmTokenVerification
{
    public static int Run(string file, string keyPath, string? nonceHex, bool allowEmulated, CommandOutput output)
    {
        (byte[] token, _) = VerifyInputs.ReadEvidence(file);
        using ECDsa key = ReadKey(keyPath);
        byte[] nonce = nonceHex is null ? [] : ParseNonce(nonceHex);
        bool isCca = CcaToken.LooksLikeCcaToken(token);
        string family = isCca ? "cca" : "psa";
        try
        {
            PsaTokenClaims? psa = isCca ? null : PsaToken.Verify(token, key, nonce, allowEmulated);
            IReadOnlyList<(string Name, string Label, string Value)> fields = psa is null ? Fields(CcaToken.Verify(token, key, nonce)) : Fields(psa);
            Write(output, family, fields, failure: null, isEmulated: psa?.IsEmulated == true);
            return VerifyCommand.Valid;
        }
        catch (AttestationException e)
        {
            Write(output, family, [], e, isEmulated: e.Check == "psa.emulated");
            return VerifyCommand.Invalid;
        }
    }

    private static IReadOnlyList<(string, string, string)> Fields(PsaTokenClaims claims) =>
    [
        ("profile", "Profile", claims.Profile),
        ("nonce", "Nonce", Hex(claims.Nonce)),
        ("instanceId", "Instance ID", Hex(claims.InstanceId)),
        ("implementationId", "Implementation ID", Hex(claims.ImplementationId)),
        ("clientId", "Client ID", claims.ClientId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("securityLifecycle", "Security lifecycle", $"0x{claims.SecurityLifecycle:x4}"),
        ("softwareComponents", "Software components", Components(claims.SoftwareComponents)),
    ];

    private static IReadOnlyList<(string, string, string)> Fields(CcaTokenClaims claims) =>
    [
        ("profile", "Platform profile", claims.Platform.Profile),
        ("nonce", "Realm challenge", Hex(claims.Realm.Challenge)),
        ("instanceId", "Platform instance ID", Hex(claims.Platform.InstanceId)),
        ("implementationId", "Platform implementation ID", Hex(claims.Platform.ImplementationId)),
        ("securityLifecycle", "Platform security lifecycle", $"0x{claims.Platform.SecurityLifecycle:x4}"),
        ("softwareComponents", "Platform software", Components(claims.Platform.SoftwareComponents)),
        ("realmInitialMeasurement", "Realm initial measurement", Hex(claims.Realm.InitialMeasurement)),
        ("realmPersonalizationValue", "Realm personalization value", Hex(claims.Realm.PersonalizationValue)),
        ("realmPublicKey", "Realm attestation key", Hex(claims.Realm.PublicKey)),
        ("realmExtensibleMeasurements", "Realm extensible measurements", string.Join(", ", claims.Realm.ExtensibleMeasurements.Select(Hex))),
    ];

    private static void Write(CommandOutput output, string family, IReadOnlyList<(string Name, string Label, string Value)> fields, AttestationException? failure, bool isEmulated)
    {
        string format = family == "cca" ? "cca-token" : "psa-token";
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteString("family", family);
                w.WriteString("format", format);
                w.WriteBoolean("valid", failure is null);
                w.WriteBoolean("isEmulated", isEmulated);
                if (failure is not null)
                {
                    w.WriteString("failedCheck", failure.Check);
                    w.WriteString("error", failure.Message);
                }

                foreach ((string name, _, string value) in fields)
                {
                    w.WriteString(name, value);
                }
            });
            return;
        }

        output.Output.WriteLine($"Evidence: Arm {(family == "cca" ? "CCA attestation token" : "PSA attestation token")} ({format})");
        if (isEmulated)
        {
            output.Output.WriteLine(VerifyOutput.EmulatedBanner);
        }

        if (failure is not null)
        {
            output.Output.WriteLine($"INVALID: {failure.Message}");
            output.Output.WriteLine($"Failed check: {failure.Check}");
            return;
        }

        output.Output.WriteLine(family == "cca"
            ? "Signatures: verified (platform token by the given key, realm token by its attestation key, bound by the platform challenge)"
            : "Signature: verified with the given key");
        int width = fields.Max(f => f.Label.Length) + 1;
        foreach ((_, string label, string value) in fields)
        {
            output.Output.WriteLine($"  {(label + ":").PadRight(width)} {value}");
        }

        output.Output.WriteLine("VALID");
    }

    private static ECDsa ReadKey(string path)
    {
        string text = System.Text.Encoding.UTF8.GetString(VerifyInputs.ReadFile(path, "--key"));
        ECDsa key = ECDsa.Create();
        try
        {
            key.ImportFromPem(text);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new UnusableInputException($"--key '{path}' is not an EC public key in PEM (-----BEGIN PUBLIC KEY-----): {ErrorText.Message(e)}");
        }
    }

    private static byte[] ParseNonce(string hex)
    {
        try
        {
            return Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
        }
        catch (FormatException)
        {
            throw new UnusableInputException($"--nonce '{hex}' is not hex");
        }
    }

    private static string Components(IReadOnlyList<PsaSoftwareComponent> components) =>
        string.Join("; ", components.Select(c => $"{c.MeasurementType ?? "?"} {c.Version ?? ""} {Hex(c.MeasurementValue)}".Replace("  ", " ", StringComparison.Ordinal)));

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
