namespace EnclaveGen;

/// <summary>
/// Gives an <see cref="EnclaveAttribute"/> class the UUID that addresses it as a trusted
/// application (GlobalPlatform style: <c>TeeContext.OpenSession(uuid)</c>). Without it the UUID is
/// derived from the class's full name (docs/profiles.md, the TrustZone profile).
/// </summary>
/// <remarks>The value is a UUID in its 36-character form, for example <c>"8aaaf200-2450-11e4-abe2-0002a5d5c51b"</c>; anything else is EG1016.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TrustedApplicationAttribute : Attribute
{
    /// <summary>Gives the enclave the trusted application UUID <paramref name="uuid"/>.</summary>
    public TrustedApplicationAttribute(string uuid)
    {
        Uuid = uuid;
    }

    /// <summary>The UUID, as written.</summary>
    public string Uuid { get; }
}
