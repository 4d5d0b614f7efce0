using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Identity;

namespace JointStatistics.Parties;

/// <summary>
/// One party, in a process of its own: it decides for itself whether to trust the enclave (its own
/// trust anchor, its own expected MRENCLAVE, its own fresh nonce), and only then sends its values,
/// encrypted on a channel whose other end is inside the enclave. It needs nothing from the host but
/// bytes, so the same code runs from another machine. It uses EnclaveGen.Attestation (and the
/// runtime's measurement, to compute the MRENCLAVE it expects), never the enclave runtime itself.
/// </summary>
public static class PartyApp
{
    /// <summary>Exit code: the aggregate was received.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the party refused the enclave's evidence and sent nothing.</summary>
    public const int Refused = 1;

    /// <summary>Exit code: unusable arguments or data.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code: the host refused a request or could not be reached.</summary>
    public const int HostFailed = 3;

    private const string OctetStream = "application/octet-stream";
    private const int EnclaveKeyLength = 65;

    /// <summary>Runs the party's whole protocol and prints what it decided and what it learned.</summary>
    public static async Task<int> RunAsync(TextWriter output, PartyOptions options, CancellationToken cancellationToken = default)
    {
        long[] values;
        AttestationVerifier verifier;
        TrustAnchor emulatedRoot;
        byte[] expectedMrenclave;
        try
        {
            values = ReadValues(options.DataFile);
            emulatedRoot = EmulatedAttestationAuthority.CreateTrustAnchor(await File.ReadAllBytesAsync(options.TrustRoot, cancellationToken));
            verifier = new AttestationVerifier([.. TrustAnchor.Defaults, emulatedRoot]);
            expectedMrenclave = EnclaveMeasurement.Measure(options.EnclaveLibrary, PartyOptions.EnclaveTypeName).Mrenclave.AsSpan().ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or AttestationException or EnclaveGen.EnclaveImageException)
        {
            output.WriteLine($"cannot start: {ex.Message}");
            return BadInput;
        }

        output.WriteLine($"trust anchors: Intel SGX Root CA, AMD ARK-Milan, and '{emulatedRoot.Subject}' (received out of band)");
        output.WriteLine($"expected MRENCLAVE {Convert.ToHexStringLower(expectedMrenclave)} (measured from {Path.GetFileName(options.EnclaveLibrary)}, the enclave library it reviewed)");
        output.WriteLine("policy: that MRENCLAVE; REPORTDATA must bind the enclave's channel key and this party's fresh nonce");
        output.WriteLine(options.AllowEmulated
            ? "policy: ALLOWS EMULATED evidence: the sample's platform is emulated and protects nothing from the machine's owner"
            : "policy: refuses emulated evidence (real hardware only)");
        output.WriteLine(options.AllowDebug
            ? "policy: ALLOWS a DEBUG enclave: the sample is signed with its per-project debug key"
            : "policy: refuses DEBUG enclaves");

        var policy = new AttestationPolicy
        {
            ExpectedUniqueIds = [expectedMrenclave],
            AllowEmulated = options.AllowEmulated,
            AllowDebug = options.AllowDebug,
        };

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = !options.Host.IsLoopback })
        {
            BaseAddress = new Uri(options.Host, $"parties/{Uri.EscapeDataString(options.Name)}/"),
            Timeout = TimeSpan.FromMinutes(2),
        };

        try
        {
            // 1. A fresh nonce, so the quote is made now, for this party: a replayed one fails.
            byte[] nonce = RandomNumberGenerator.GetBytes(32);
            byte[] offer = await PostAsync(http, "quote", nonce, cancellationToken);
            if (offer.Length <= EnclaveKeyLength)
            {
                output.WriteLine($"the host's answer to /quote is {offer.Length} bytes: too short for a key and a quote; nothing was sent");
                return HostFailed;
            }

            // 2. Verify before sending anything: signature chain, policy, and the key and nonce binding.
            RelyingPartyChannel channel;
            try
            {
                channel = RelyingPartyChannel.ConnectToSgxEnclave(verifier, offer.AsSpan(EnclaveKeyLength), offer.AsSpan(0, EnclaveKeyLength), policy, nonce);
            }
            catch (AttestationException ex)
            {
                output.WriteLine($"quote: REFUSED ({ex.Check}): {ex.Message}");
                output.WriteLine("nothing was sent");
                return Refused;
            }

            using AttestedSession session = channel.Session;
            AttestationClaims claims = channel.Claims;
            string marks = string.Join(", ", new[] { claims.IsEmulated ? "EMULATED" : null, claims.IsDebug ? "DEBUG" : null }.OfType<string>());
            output.WriteLine($"quote: VERIFIED{(marks.Length > 0 ? $" ({marks})" : "")}; MRENCLAVE matches; channel key and nonce bound: channel open");
            await PostAsync(http, "connect", channel.PublicKey.ToArray(), cancellationToken);

            // 3. The values, sealed on this party's own channel.
            byte[] plaintext = new byte[values.Length * sizeof(long)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(plaintext.AsSpan(i * sizeof(long)), values[i]);
            }

            byte[] record = session.Seal(plaintext);
            CryptographicOperations.ZeroMemory(plaintext);
            await PostAsync(http, "submit", record, cancellationToken);
            output.WriteLine($"sent its {values.Length} values on its own channel ({record.Length} sealed bytes)");

            // 4. The aggregate, which only this party's channel key opens.
            byte[] sealedResult = await GetAsync(http, "result", cancellationToken);
            StatisticsAggregate aggregate = StatisticsAggregate.Parse(session.Open(sealedResult));
            output.WriteLine($"aggregate, decrypted by {options.Name}: {Describe(aggregate)}");
            return Success;
        }
        catch (HostRefusedException ex)
        {
            output.WriteLine(ex.Message);
            return HostFailed;
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"the host could not be reached: {ex.Message}");
            return HostFailed;
        }
        catch (Exception ex) when (ex is AttestedChannelException or FormatException)
        {
            output.WriteLine($"the aggregate did not open: {ex.Message}");
            return HostFailed;
        }
    }

    /// <summary>The line every party prints for the aggregate (the same for all of them when all is well).</summary>
    public static string Describe(StatisticsAggregate aggregate) => string.Create(
        CultureInfo.InvariantCulture,
        $"{aggregate.Parties} parties, {aggregate.Values} values; mean {aggregate.Mean:N2}; median {aggregate.Median:N2}; {aggregate.AboveThreshold} above {aggregate.Threshold:N0}");

    /// <summary>Reads a data file: one integer a line; blank lines and lines starting with <c>#</c> are skipped.</summary>
    /// <exception cref="FormatException">A line is not an integer, or there are no values.</exception>
    public static long[] ReadValues(string path)
    {
        List<long> values = [];
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            values.Add(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                ? value
                : throw new FormatException($"{path}, line {lineNumber}: '{text}' is not an integer."));
        }

        return values.Count > 0 ? [.. values] : throw new FormatException($"{path} holds no values.");
    }

    private static async Task<byte[]> PostAsync(HttpClient http, string step, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        using HttpResponseMessage response = await http.PostAsync(step, content, cancellationToken);
        return await ReadAsync(response, step, cancellationToken);
    }

    private static async Task<byte[]> GetAsync(HttpClient http, string step, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(step, cancellationToken);
        return await ReadAsync(response, step, cancellationToken);
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, string step, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string reason = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HostRefusedException($"the host refused /{step}: HTTP {(int)response.StatusCode}: {reason}");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private sealed class HostRefusedException(string message) : Exception(message);
}
