using System.Net;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// A Key Broker Service exchange failed. <see cref="Reason"/> says why in a form a program can
/// switch on; <see cref="AttestationException.Check"/> is <c>kbs.</c> and the reason; when the
/// broker sent its problem JSON (RFC 7807 <c>type</c> and <c>detail</c>), both are kept.
/// </summary>
public sealed class KbsException : AttestationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the exchange failed.</param>
    /// <param name="message">What failed, what was expected and what was found, and what to do.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public KbsException(KbsFailure reason, string message, Exception? innerException = null)
        : base(CheckOf(reason), $"{CheckOf(reason)}: {message}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the exchange failed.</summary>
    public KbsFailure Reason { get; }

    /// <summary>The HTTP status the broker answered with, when the failure is the broker's answer.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The problem type the broker sent (for Trustee, <c>https://github.com/confidential-containers/kbs/errors/&lt;name&gt;</c>), if any.</summary>
    public string? ProblemType { get; init; }

    /// <summary>The problem detail the broker sent, if any.</summary>
    public string? ProblemDetail { get; init; }

    private static string CheckOf(KbsFailure reason) => reason switch
    {
        KbsFailure.AttestationRefused => "kbs.attestationRefused",
        KbsFailure.Unauthorized => "kbs.unauthorized",
        KbsFailure.Forbidden => "kbs.forbidden",
        KbsFailure.ResourceNotFound => "kbs.resourceNotFound",
        KbsFailure.MalformedResponse => "kbs.malformedResponse",
        KbsFailure.UnsupportedAlgorithm => "kbs.unsupportedAlgorithm",
        KbsFailure.DecryptionFailed => "kbs.decryptionFailed",
        KbsFailure.UnsupportedChallenge => "kbs.unsupportedChallenge",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a KbsFailure."),
    };
}
