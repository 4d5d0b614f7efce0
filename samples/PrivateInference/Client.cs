using System.Buffers.Binary;
using System.Net.Http.Headers;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;

namespace PrivateInference.Host;

/// <summary>
/// The client: holds its patients' features and sends them to the enclave over HTTPS whose TLS
/// session ends inside the enclave. An ordinary HttpClient with <see cref="AttestedTls.CreateHandler"/>
/// checks the evidence in the enclave's certificate against the client's own policy during the
/// handshake, before a byte of a request is sent. It never receives the model's weights, and needs
/// nothing from the host but bytes (the same code runs from another machine).
/// </summary>
internal sealed class Client : IDisposable
{
    private readonly HttpClient _http;
    private AttestationClaims? _verified;

    public Client(AttestationVerifier verifier, AttestationPolicy policy, Uri enclave)
    {
        SocketsHttpHandler handler = AttestedTls.CreateHandler(policy, verifier, peer => _verified = peer.Claims);
        handler.UseProxy = !enclave.IsLoopback;
        _http = new HttpClient(handler) { BaseAddress = enclave, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The claims of the enclave the last handshake verified (null before one succeeded).</summary>
    public AttestationClaims? Verified => _verified;

    /// <summary>Sends one patient's features and returns the model's score (log-odds), which the client turns into a probability itself.</summary>
    /// <exception cref="AttestedTlsException">The client's policy refused the enclave's certificate: nothing was sent.</exception>
    /// <exception cref="HttpRequestException">The enclave could not be reached through the host, or refused the request.</exception>
    public async Task<double> PredictAsync(double[] features)
    {
        using ByteArrayContent content = new(Encode(features));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync("predict", content);
        }
        catch (HttpRequestException ex) when (AttestedTls.FindRefusal(ex) is { } refusal)
        {
            throw refusal;
        }

        using (response)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The enclave answered HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}", null, response.StatusCode);
            }

            return body.Length == sizeof(double)
                ? BinaryPrimitives.ReadDoubleLittleEndian(body)
                : throw new InvalidDataException($"A prediction is {sizeof(double)} bytes; got {body.Length}.");
        }
    }

    /// <summary>The features as the enclave reads them: float64, little-endian.</summary>
    public static byte[] Encode(double[] features)
    {
        byte[] bytes = new byte[features.Length * sizeof(double)];
        for (int i = 0; i < features.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), features[i]);
        }

        return bytes;
    }

    public void Dispose() => _http.Dispose();
}
