namespace EnclaveGen.Attestation.Kbs;

/// <summary>Why a key broker exchange failed: <see cref="KbsException.Reason"/>.</summary>
public enum KbsFailure
{
    /// <summary>The broker answered <c>/auth</c> or <c>/attest</c> with an error (its problem JSON is in <see cref="KbsException.ProblemType"/> and <see cref="KbsException.ProblemDetail"/>): a version mismatch, evidence its attestation service refused, an unknown or expired session.</summary>
    AttestationRefused,

    /// <summary>A resource request was answered 401: no attested session (or it expired), or the resource policy denied it.</summary>
    Unauthorized,

    /// <summary>A resource request was answered 403: the attested TEE may not have this resource.</summary>
    Forbidden,

    /// <summary>A resource request was answered 404: the broker has no such resource.</summary>
    ResourceNotFound,

    /// <summary>A broker message did not have the protocol's shape (challenge, token, JWE, problem JSON), or an unexpected HTTP status came back.</summary>
    MalformedResponse,

    /// <summary>The JWE names a key-management or content-encryption algorithm this TEE key does not use.</summary>
    UnsupportedAlgorithm,

    /// <summary>The JWE did not decrypt with this TEE key: it was wrapped to another key, or altered.</summary>
    DecryptionFailed,

    /// <summary>The challenge cannot be answered: it selects a hash algorithm this client does not know.</summary>
    UnsupportedChallenge,
}
