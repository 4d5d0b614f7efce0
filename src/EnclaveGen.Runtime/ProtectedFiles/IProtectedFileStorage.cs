namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The host's storage for protected files: where their encrypted bytes live, outside the
/// enclave. The host implements it (or uses <see cref="FolderProtectedFileStorage"/>, the default)
/// and passes it in <see cref="EnclaveOptions.FileStorage"/>; the runtime calls it through the
/// boundary when trusted code reads or writes a file. Nothing it holds is readable without the
/// enclave's keys, and nothing it returns is believed without authentication, so a hostile
/// implementation can deny service but cannot read, change or roll back a file unnoticed.
/// </summary>
/// <remarks>
/// Each protected file has two parts under its name: its data and, while a commit is in
/// progress, its recovery journal. Every method may be called from several threads at once for
/// different files. Lengths and offsets are in bytes.
/// </remarks>
public interface IProtectedFileStorage
{
    /// <summary>The part's length, or -1 when it does not exist.</summary>
    long GetLength(string name, ProtectedFilePart part);

    /// <summary>
    /// Reads up to <paramref name="destination"/>'s length from <paramref name="offset"/>; fewer
    /// bytes only at the end of the part, none when it does not exist.
    /// </summary>
    /// <returns>How many bytes were read.</returns>
    int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> at <paramref name="offset"/>, creating the part (and extending it with zeros) as needed.</summary>
    void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source);

    /// <summary>Cuts or extends (with zeros) the part to <paramref name="length"/>, creating it if needed.</summary>
    void SetLength(string name, ProtectedFilePart part, long length);

    /// <summary>Makes every write to the part so far durable (on disk), as <c>fsync</c> does.</summary>
    void Flush(string name, ProtectedFilePart part);

    /// <summary>Deletes the part, durably; nothing happens when it does not exist.</summary>
    void Delete(string name, ProtectedFilePart part);

    /// <summary>The enclave closed the file: release whatever is held open for it.</summary>
    void Close(string name);
}

/// <summary>The two parts of a protected file in the host's storage.</summary>
public enum ProtectedFilePart : byte
{
    /// <summary>The file: its header, tree nodes and data blocks (docs/protected-files.md).</summary>
    Data = 1,

    /// <summary>The recovery journal, present only while a commit is in progress or was interrupted.</summary>
    Journal = 2,
}
