namespace EnclaveGen.Runtime.Platform.Tsm;

/// <summary>
/// The file operations the TSM report provider makes on configfs: one method per system call it
/// needs, so tests can stand in for the kernel (creating the attributes of a new entry, producing
/// <c>outblob</c>) while every path and check of the provider runs. Errors surface as .NET reports
/// errno on Linux: an <see cref="IOException"/> whose <see cref="Exception.HResult"/> is the errno.
/// </summary>
internal class TsmFiles
{
    /// <summary>The largest attribute read (the kernel's outblob limit is 32 KiB; certificates are a few).</summary>
    public const int MaxAttributeBytes = 1024 * 1024;

    public virtual bool DirectoryExists(string path) => Directory.Exists(path);

    public virtual bool FileExists(string path) => File.Exists(path);

    /// <summary>mkdir(2): on configfs, the kernel makes the entry's attributes.</summary>
    public virtual void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <summary>rmdir(2): on configfs, it removes the entry with its attributes.</summary>
    public virtual void RemoveDirectory(string path) => Directory.Delete(path, recursive: false);

    /// <summary>One open, one write and a close: configfs hands a binary attribute's bytes to the kernel on close.</summary>
    public virtual void Write(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(bytes);
    }

    /// <summary>Reads an attribute to its end (configfs reports no length), refusing more than <see cref="MaxAttributeBytes"/>.</summary>
    public virtual byte[] Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        using var memory = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > MaxAttributeBytes)
            {
                throw new TsmReportException($"the TSM attribute '{path}' holds more than {MaxAttributeBytes} bytes; a report and its certificates are a few kilobytes, so this is not a TSM provider's output", TsmReportFailure.MalformedOutput);
            }
        }

        return memory.ToArray();
    }
}
