using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Identity;

namespace JointStatistics.Parties;

/// <summary>
/// One party, in a process of its own: it decides for itself whether to trust the enclave (its own
/// trust anchor, its own expected MRENCLAVE), and only then sends its values, over HTTPS whose TLS
/// session ends inside the enclave: an ordinary HttpClient with <see cref="AttestedTls.CreateHandler"/>
/// checks the evidence in the enclave's certificate during the handshake. It needs nothing from the
/// host but bytes, so the same code runs from another machine. It uses EnclaveGen.Attestation (and the
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
        output.WriteLine("policy: that MRENCLAVE; the evidence in the enclave's TLS certificate must bind the certificate's key (RA-TLS), TLS 1.3");
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

        // An ordinary HttpClient: the attested validation runs during the TLS handshake, before a
        // byte of the request is sent; the TLS session ends inside the enclave, not in the host.
        AttestationClaims? verified = null;
        SocketsHttpHandler handler = AttestedTls.CreateHandler(policy, verifier, peer => verified = peer.Claims);
        handler.UseProxy = !options.Host.IsLoopback;
        using var http = new HttpClient(handler)
        {
            BaseAddress = new Uri(options.Host, $"parties/{Uri.EscapeDataString(options.Name)}/"),
            Timeout = TimeSpan.FromMinutes(3),
        };

        byte[] plaintext = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(plaintext.AsSpan(i * sizeof(long)), values[i]);
        }

        try
        {
            using var content = new ByteArrayContent(plaintext);
            content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
            using HttpResponseMessage response = await http.PostAsync("submit", content, cancellationToken);
            string marks = verified is null ? "" : string.Join(", ", new[] { verified.IsEmulated ? "EMULATED" : null, verified.IsDebug ? "DEBUG" : null }.OfType<string>());
            output.WriteLine($"certificate: VERIFIED{(marks.Length > 0 ? $" ({marks})" : "")}; MRENCLAVE matches; its evidence binds the TLS key: TLS 1.3 to the enclave");
            output.WriteLine($"sent its {values.Length} values over that connection ({plaintext.Length} bytes, encrypted by TLS for the enclave)");
            if (!response.IsSuccessStatusCode)
            {
                output.WriteLine($"the enclave refused the submission: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return HostFailed;
            }

            // The aggregate, on this party's own TLS connection: only this party's TLS session opens it.
            StatisticsAggregate aggregate = StatisticsAggregate.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            output.WriteLine($"aggregate, decrypted by {options.Name}: {Describe(aggregate)}");
            return Success;
        }
        catch (HttpRequestException ex) when (AttestedTls.FindRefusal(ex) is { } refusal)
        {
            output.WriteLine($"certificate: REFUSED ({refusal.Check}): {refusal.Message}");
            output.WriteLine("nothing was sent");
            return Refused;
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"the enclave could not be reached through the host: {ex.Message}");
            return HostFailed;
        }
        catch (FormatException ex)
        {
            output.WriteLine($"the aggregate did not parse: {ex.Message}");
            return HostFailed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
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
}
