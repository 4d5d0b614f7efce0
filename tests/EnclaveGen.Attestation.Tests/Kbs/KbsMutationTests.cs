using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation.Kbs;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// Hostile broker answers: seeded mutations of a real challenge and of a real JWE give a typed
/// <see cref="KbsException"/> or a valid parse, never another exception. A JWE that still parses
/// opens only if its authenticated bytes are unchanged.
/// </summary>
public sealed class KbsMutationTests
{
    private const int Mutations = 1500;

    [Fact]
    public void MutatedChallengesParseOrAreRefusedByType()
    {
        string challenge = "{\"nonce\":\"" + Convert.ToBase64String(new byte[32]) + "\",\"extra-params\":{\"selected-hash-algorithm\":\"sha384\"}}";
        var random = new Random(19);
        for (int i = 0; i < Mutations; i++)
        {
            string mutated = Mutate(challenge, random);
            try
            {
                KbsChallenge parsed = KbsChallenge.Parse(mutated);
                Assert.NotNull(parsed.Nonce);
            }
            catch (KbsException)
            {
                // the typed refusal
            }
        }
    }

    [Fact]
    public void MutatedJwesAreRefusedByTypeOrOpenToTheOriginal()
    {
        using var key = new KbsTeeKey();
        byte[] secret = RandomNumberGenerator.GetBytes(48);
        string jwe = Wrap(key, secret);
        var random = new Random(1919);
        int opened = 0;
        for (int i = 0; i < Mutations; i++)
        {
            string mutated = Mutate(jwe, random);
            try
            {
                Assert.Equal(secret, key.Open(KbsEncryptedResource.Parse(mutated)));
                opened++;
            }
            catch (KbsException)
            {
                // the typed refusal
            }
        }

        // A mutation that leaves the JSON's meaning and every authenticated byte as they were is rare
        // (the text is compact); nearly every one must be refused.
        Assert.True(opened < Mutations / 10, $"{opened} of {Mutations} mutated JWEs opened");
    }

    private static string Wrap(KbsTeeKey key, byte[] secret) => EnclaveGen.Tests.FakeTrusteeBroker.Wrap(key.PublicJwk, secret).ToJsonString();

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        switch (random.Next(4))
        {
            case 0:
                builder[random.Next(builder.Length)] = (char)random.Next(0x20, 0x7F);
                break;
            case 1:
                int start = random.Next(builder.Length);
                builder.Remove(start, Math.Min(builder.Length - start, 1 + random.Next(8)));
                break;
            case 2:
                builder.Insert(random.Next(builder.Length), "\"{[:,0\\".AsSpan(random.Next(7), 1));
                break;
            default:
                builder.Length = random.Next(builder.Length);
                break;
        }

        return builder.ToString();
    }
}
