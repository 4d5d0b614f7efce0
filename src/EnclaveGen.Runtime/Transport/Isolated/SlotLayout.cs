namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// Where things sit in one thread slot's part of the shared region. Each side's wake-up word has a
/// cache line of its own, so a spinning reader does not slow the writer on the other side.
/// </summary>
/// <remarks>
/// Everything in the region is visible to the host: the frames carry sealed boundary messages
/// (docs/wire-format.md) and, for faults, the runtime's own error text; never plaintext arguments.
/// </remarks>
internal static class SlotLayout
{
    /// <summary>Bytes per slot; a multiple of the page size.</summary>
    public const int Stride = 64 * 1024;

    /// <summary>Counter of frames sent host to enclave: the enclave's futex word.</summary>
    public const int ToEnclave = 0;

    /// <summary>Set while the enclave side sleeps (or is about to) on <see cref="ToEnclave"/>.</summary>
    public const int EnclaveSleeping = 4;

    /// <summary>Counter of frames sent enclave to host: the host's futex word.</summary>
    public const int ToHost = 64;

    /// <summary>Set while the host side sleeps (or is about to) on <see cref="ToHost"/>.</summary>
    public const int HostSleeping = 68;

    /// <summary>The current frame's <see cref="FrameKind"/>.</summary>
    public const int Kind = 128;

    /// <summary>The whole message's length in bytes.</summary>
    public const int Total = 132;

    /// <summary>Where this frame's chunk starts in the message.</summary>
    public const int Offset = 136;

    /// <summary>The chunk's length.</summary>
    public const int Length = 140;

    /// <summary>The chunk's bytes.</summary>
    public const int Window = 256;

    /// <summary>The largest chunk one frame carries; longer messages travel in several frames.</summary>
    public const int WindowBytes = Stride - Window;
}

/// <summary>What a frame in a slot's window is.</summary>
internal enum FrameKind
{
    /// <summary>A chunk of a sealed boundary message.</summary>
    Data = 1,

    /// <summary>The receiver took a chunk; send the next.</summary>
    Ack = 2,

    /// <summary>The sender's side failed the crossing (an integrity violation, a halted enclave); the window holds why.</summary>
    Fault = 3,
}
