using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// Hostile broker answers: seeded mutations of a real challenge and of a real JWE give a typed
/// <see cref="KbsException"/> or a valid parse, never another exception. A JWE that still parses
/// opens only if its authenticated bytes are unchanged. Hostile evidence, as a broker reads it:
/// mutations of Trustee's real SNP evidence JSON are refused by type or verify only unchanged.
/// </summary>
public sealed class KbsMutationTests
{
    private const int Mutations = 1500;

    // Each evidence mutation that parses costs a report and chain verification: fewer, CI-sized.
    private const int EvidenceMutations = 800;

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

    [Fact]
    public void MutatedTrusteeSnpEvidenceIsRefusedByTypeOrVerifiesOnlyUnchanged()
    {
        // Trustee's real evidence: every mutation that still parses either re-encodes to the same
        // signed report or fails verification with a typed AttestationException.
        JsonObject original = TrusteeEvidenceTests.RealSnpEvidence();
        TrusteeSnpEvidence unchanged = TrusteeSnpEvidence.Parse(original);
        var verifier = new AttestationVerifier();
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(1984);
        int parsed = 0;
        for (int i = 0; i < EvidenceMutations; i++)
        {
            JsonNode mutated = original.DeepClone();
            MutateNode(mutated, random);
            TrusteeSnpEvidence evidence;
            try
            {
                evidence = TrusteeSnpEvidence.Parse(mutated);
            }
            catch (KbsException e)
            {
                Assert.Equal(KbsFailure.MalformedResponse, e.Reason);
                continue;
            }

            parsed++;
            try
            {
                verifier.Check<SnpClaims>(evidence.Report, at, new EvidenceInput { Certificates = evidence.Certificates });
                Assert.Equal(unchanged.Report, evidence.Report);
            }
            catch (AttestationException)
            {
                // the typed refusal
            }
        }

        Assert.True(parsed > EvidenceMutations / 10, $"only {parsed} of {EvidenceMutations} mutations parsed: the test no longer reaches the verifier");
    }

    /// <summary>One change at a random node: removed, replaced by a value of another kind or range, or (an array) shortened.</summary>
    private static void MutateNode(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        void Collect(JsonNode node)
        {
            nodes.Add(node);
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject o => o.Select(m => m.Value),
                JsonArray a => a,
                _ => [],
            };
            foreach (JsonNode? child in children)
            {
                if (child is not null)
                {
                    Collect(child);
                }
            }
        }

        Collect(root);
        JsonNode target = nodes[1 + random.Next(nodes.Count - 1)];
        JsonNode parent = target.Parent!;
        JsonNode?[] replacements = [null, 0, 1, 255, 256, -1, 4294967296, 1.5, "x", true, new JsonArray(), new JsonObject(), (byte)random.Next(256)];
        JsonNode? replacement = replacements[random.Next(replacements.Length)]?.DeepClone();
        int choice = random.Next(3);
        if (parent is JsonArray array)
        {
            int index = array.IndexOf(target);
            if (choice == 0)
            {
                array.RemoveAt(index);
            }
            else
            {
                array[index] = replacement;
            }
        }
        else
        {
            var obj = (JsonObject)parent;
            string name = target.GetPropertyName();
            if (choice == 0)
            {
                obj.Remove(name);
            }
            else
            {
                obj[name] = replacement;
            }
        }
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
