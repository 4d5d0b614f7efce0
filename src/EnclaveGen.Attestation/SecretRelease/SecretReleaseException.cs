using EnclaveGen.Attestation.Tls;

namespace EnclaveGen.Attestation.SecretRelease;

/// <summary>
/// An enclave asked a secret release service for a secret and did not get it. <see cref="Failure"/>
/// says which side stopped the exchange; when the service refused the enclave, <see cref="Reason"/>
/// is the service's verdict on the enclave's evidence.
/// </summary>
public sealed class SecretReleaseException : AttestationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">Which side stopped the exchange.</param>
    /// <param name="reason">The service's verdict when <paramref name="failure"/> is <see cref="SecretReleaseFailure.Refused"/>; otherwise null.</param>
    /// <param name="message">What failed, what was expected and found, and what to do.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public SecretReleaseException(SecretReleaseFailure failure, AttestedTlsFailure? reason, string message, Exception? innerException = null)
        : base(CheckOf(failure), $"{CheckOf(failure)}: {message}", innerException)
    {
        Failure = failure;
        Reason = reason;
    }

    /// <summary>Which side stopped the exchange.</summary>
    public SecretReleaseFailure Failure { get; }

    /// <summary>Why the service refused the enclave (<see cref="SecretReleaseFailure.Refused"/> only).</summary>
    public AttestedTlsFailure? Reason { get; }

    private static string CheckOf(SecretReleaseFailure failure) => failure switch
    {
        SecretReleaseFailure.Refused => "secretRelease.refused",
        SecretReleaseFailure.ServiceNotTrusted => "secretRelease.serviceNotTrusted",
        SecretReleaseFailure.ServiceFailed => "secretRelease.serviceFailed",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "Not a SecretReleaseFailure."),
    };
}
