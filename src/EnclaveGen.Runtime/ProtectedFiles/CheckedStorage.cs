using System.Buffers;
using System.Globalization;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The host's storage as one open protected file sees it: every answer is checked against what
/// was asked (no read longer than requested, no length outside the format's range), and every
/// failure of the host becomes a <see cref="ProtectedFileException"/> naming the file.
/// </summary>
internal sealed class CheckedStorage(IProtectedFileStorage storage, string name)
{
    /// <summary>No part of a protected file is longer: the largest file's data, and a journal of far fewer nodes.</summary>
    public const long MaxPartLength = 1L << 50;

    public string Name => name;

    public long GetLength(ProtectedFilePart part)
    {
        long length = Call(() => storage.GetLength(name, part), "ask the length of", part);
        if (length < -1 || length > MaxPartLength)
        {
            throw HostMisbehaved(string.Create(CultureInfo.InvariantCulture, $"it reported a length of {length} bytes for the {Describe(part)}, outside -1 .. {MaxPartLength}"));
        }

        return length;
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length; a shorter part is a truncated file.</summary>
    public void ReadExactly(ProtectedFilePart part, long offset, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = ReadSome(part, offset + done, destination[done..]);
            if (read == 0)
            {
                throw Truncated(part, offset + done, offset + destination.Length);
            }

            done += read;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes and hands them out where they are: through the
    /// boundary, a view of its answer in the enclave's copy of the message (no copy out of it),
    /// when one answer holds them; otherwise read into a pooled buffer. Dispose the result before
    /// the next call; a shorter part is a truncated file.
    /// </summary>
    public HostBytes ReadBytes(ProtectedFilePart part, long offset, int count)
    {
        if (storage is BoundaryFileStorage boundary && count <= boundary.MaxTransfer)
        {
            ReadOnlySpan<byte> answer;
            OcallScope scope;
            try
            {
                answer = boundary.ReadAnswer(name, part, offset, count, out scope);
            }
            catch (Exception exception) when (IsHostFailure(exception))
            {
                throw HostFailed("read", part, exception);
            }

            if (answer.Length == count)
            {
                return new HostBytes(answer, scope);
            }

            // A short answer: the rest is asked for as ReadExactly asks (the part may have ended).
            byte[] partial = ArrayPool<byte>.Shared.Rent(count);
            answer.CopyTo(partial);
            scope.Dispose();
            return ReadRestInto(partial, answer.Length, part, offset, count);
        }

        return ReadRestInto(ArrayPool<byte>.Shared.Rent(count), 0, part, offset, count);
    }

    private HostBytes ReadRestInto(byte[] rented, int done, ProtectedFilePart part, long offset, int count)
    {
        bool handedOut = false;
        try
        {
            ReadExactly(part, offset + done, rented.AsSpan(done, count - done));
            handedOut = true;
            return new HostBytes(rented, count);
        }
        finally
        {
            if (!handedOut)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public int ReadSome(ProtectedFilePart part, long offset, Span<byte> destination)
    {
        int read;
        try
        {
            read = storage.Read(name, part, offset, destination);
        }
        catch (Exception exception) when (IsHostFailure(exception))
        {
            throw HostFailed("read", part, exception);
        }

        if (read < 0 || read > destination.Length)
        {
            throw HostMisbehaved(string.Create(CultureInfo.InvariantCulture, $"it answered a read of {destination.Length} bytes with {read}"));
        }

        return read;
    }

    public void Write(ProtectedFilePart part, long offset, ReadOnlySpan<byte> source)
    {
        try
        {
            storage.Write(name, part, offset, source);
        }
        catch (Exception exception) when (IsHostFailure(exception))
        {
            throw HostFailed("write", part, exception);
        }
    }

    public void SetLength(ProtectedFilePart part, long length) => Call(() => storage.SetLength(name, part, length), "set the length of", part);

    public void Flush(ProtectedFilePart part) => Call(() => storage.Flush(name, part), "flush", part);

    public void Delete(ProtectedFilePart part) => Call(() => storage.Delete(name, part), "delete", part);

    public void Close() => Call(() => storage.Close(name), "close", ProtectedFilePart.Data);

    private ProtectedFileException Truncated(ProtectedFilePart part, long end, long needed) => new(
        string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' is truncated: its {Describe(part)} ends at byte {end} in the host's storage, but bytes up to {needed} belong to it. The host's copy was cut off; restore it from a complete copy."),
        ProtectedFileFailure.Truncated,
        name,
        expected: string.Create(CultureInfo.InvariantCulture, $"at least {needed} bytes"),
        actual: string.Create(CultureInfo.InvariantCulture, $"{end} bytes"));

    public ProtectedFileException HostMisbehaved(string what) => new(
        $"Protected file '{name}': the host's storage misbehaved: {what}. Check the storage (EnclaveOptions.FileStorage) the host uses.",
        ProtectedFileFailure.HostStorage,
        name);

    // What the host can throw through the boundary (or a storage used directly can): never a bug of ours.
    private static bool IsHostFailure(Exception exception) =>
        exception is UntrustedCodeException or IOException or UnauthorizedAccessException or EnclaveMarshallingException;

    private static string Describe(ProtectedFilePart part) => part == ProtectedFilePart.Journal ? "recovery journal" : "data";

    private void Call(Action action, string verb, ProtectedFilePart part) => Call<bool>(() => { action(); return true; }, verb, part);

    private T Call<T>(Func<T> action, string verb, ProtectedFilePart part)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (IsHostFailure(exception))
        {
            throw HostFailed(verb, part, exception);
        }
    }

    private ProtectedFileException HostFailed(string verb, ProtectedFilePart part, Exception exception) => new(
        $"Protected file '{name}': the host's storage failed to {verb} the {Describe(part)}: {exception.Message} The file keeps its last committed state; fix the storage and open it again.",
        ProtectedFileFailure.HostStorage,
        name,
        innerException: exception);
}
