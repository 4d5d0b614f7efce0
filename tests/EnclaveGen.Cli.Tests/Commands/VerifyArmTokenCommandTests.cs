using System.Text.Json;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary><c>enclavegen verify TOKEN --key PUBLIC.pem</c> on the real TF-M PSA and TF-RMM CCA tokens.</summary>
public sealed class VerifyArmTokenCommandTests : VerifyCommandTestBase
{
    private static readonly string PsaToken = Sample("arm/psa-token-p2-tfm.cbor");
    private static readonly string Iak = Sample("arm/psa-iak-tfm.pub.pem");
    private static readonly string CcaToken = Sample("arm/cca-token-tf-rmm.cbor");
    private static readonly string Cpak = Sample("arm/cca-cpak-tf-rmm.pub.pem");

    [Fact]
    public void APsaTokenVerifiesAndTheJsonNamesItsFamilyAndIdentity()
    {
        (int exit, string output, _) = Run(PsaToken, "--key", Iak, "--json");
        Assert.Equal(0, exit);
        JsonElement json = Json(output);
        Assert.Equal("psa", json.GetProperty("family").GetString());
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal("01fa58755f658627ce5460f29b75296713248cae7ad9e2984b90280efcbcb50248", json.GetProperty("instanceId").GetString());
        Assert.Equal("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd", json.GetProperty("implementationId").GetString());
        Assert.Equal(new string('0', 128), json.GetProperty("nonce").GetString());
    }

    [Fact]
    public void ACcaTokenVerifiesAndTheJsonNamesTheRealm()
    {
        (int exit, string output, _) = Run(CcaToken, "--key", Cpak, "--json", "--nonce", string.Concat(Enumerable.Repeat("ab", 64)));
        Assert.Equal(0, exit);
        JsonElement json = Json(output);
        Assert.Equal("cca", json.GetProperty("family").GetString());
        Assert.Equal(new string('0', 64), json.GetProperty("realmInitialMeasurement").GetString());
        Assert.StartsWith("54686520717569636b", json.GetProperty("realmPersonalizationValue").GetString(), StringComparison.Ordinal);
        Assert.Equal(194, json.GetProperty("realmPublicKey").GetString()!.Length);

        (int textExit, string text, _) = Run(CcaToken, "--key", Cpak);
        Assert.Equal(0, textExit);
        Assert.Contains("bound by the platform challenge", text, StringComparison.Ordinal);
        Assert.EndsWith("VALID" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongKeyATamperedTokenOrAnotherNonceExitsOneWithTheReason()
    {
        (int wrongKey, string output, _) = Run(CcaToken, "--key", Iak, "--json");
        Assert.Equal(1, wrongKey);
        Assert.Equal("cca.platform-signature", Json(output).GetProperty("failedCheck").GetString());

        byte[] tampered = File.ReadAllBytes(PsaToken);
        tampered[^1] ^= 1;
        (int tamperedExit, string text, _) = Run(Write("tampered.cbor", tampered), "--key", Iak);
        Assert.Equal(1, tamperedExit);
        Assert.Contains("Failed check: psa.signature", text, StringComparison.Ordinal);

        (int nonceExit, string nonce, _) = Run(PsaToken, "--key", Iak, "--nonce", new string('1', 128), "--json");
        Assert.Equal(1, nonceExit);
        Assert.Equal("psa.nonce", Json(nonce).GetProperty("failedCheck").GetString());
    }

    [Fact]
    public void AKeyThatIsNotAPublicKeyOrANonceWithoutAKeyExitsTwo()
    {
        (int notKey, _, string error) = Run(PsaToken, "--key", Write("key.pem", "not a key"));
        Assert.Equal(2, notKey);
        Assert.Contains("--key", error, StringComparison.Ordinal);

        (int noKey, _, string noKeyError) = Run(PsaToken, "--nonce", "00");
        Assert.Equal(2, noKey);
        Assert.Contains("--key", noKeyError, StringComparison.Ordinal);
    }
}
