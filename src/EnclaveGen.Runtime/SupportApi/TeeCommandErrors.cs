using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>The errors generated command tables raise.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TeeCommandErrors
{
    /// <summary>The trusted application has no command <paramref name="commandId"/>.</summary>
    public static TeeException UnknownCommand(uint commandId, string enclaveTypeName) =>
        new(TeeResult.NotImplemented, TeeReturnOrigin.TrustedApplication, $"The trusted application {enclaveTypeName} has no command 0x{commandId:x8}; its commands are in {enclaveTypeName}.TrustedApplication.Commands (one per [Trusted] method).");
}
