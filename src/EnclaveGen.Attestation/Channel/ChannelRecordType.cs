namespace EnclaveGen.Attestation.Channel;

/// <summary>The kind of an attested-channel record.</summary>
public enum ChannelRecordType : byte
{
    /// <summary>Application data.</summary>
    Data = 1,

    /// <summary>The sender's last record: anything after it is refused, and its absence reveals a truncated stream.</summary>
    Close = 2,
}
