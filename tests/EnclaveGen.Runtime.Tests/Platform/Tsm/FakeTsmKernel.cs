using System.Globalization;
using System.Text;
using EnclaveGen.Runtime.Platform.Tsm;

namespace EnclaveGen.Runtime.Tests.Platform.Tsm;

/// <summary>
/// Plays Linux's configfs-tsm (drivers/virt/coco/tsm.c, Documentation/ABI/testing/configfs-tsm-report)
/// over a folder the test owns. The provider's real file operations run on real files; this class
/// adds what the kernel does around them: mkdir makes the entry's attributes (fails with ENXIO when no
/// provider is registered); every write to inblob or privlevel increments generation; reading
/// outblob or auxblob without inblob fails with EINVAL; reading them after a write makes a new report
/// (the "hardware" signs only the real reports it was given, keyed by their REPORT_DATA, and answers
/// any other request with its first one, as a broken platform would); privlevel outside
/// [privlevel_floor, 3] fails with EINVAL; rmdir takes the attributes with it. TDX entries have no
/// privlevel or auxblob, as the tdx_guest provider hides them.
/// </summary>
internal sealed class FakeTsmKernel : TsmFiles, IDisposable
{
    private const int Enxio = 6;
    private const int Einval = 22;

    private readonly Dictionary<string, (byte[] OutBlob, byte[] AuxBlob)> _signed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EntryState> _entries = new(StringComparer.Ordinal);
    private readonly string _folder = Directory.CreateTempSubdirectory("egtsm").FullName;

    public FakeTsmKernel(string? provider)
    {
        Provider = provider;
        Root = Path.Combine(_folder, "tsm", "report");
        Directory.CreateDirectory(Root);
    }

    /// <summary>The registered provider's name; null for none (the tsm module without a guest driver).</summary>
    public string? Provider { get; }

    public string Root { get; }

    /// <summary>How many times another writer writes inblob between a request's write and its read.</summary>
    public int ForeignWrites { get; set; }

    /// <summary>What the platform does to a report before handing it out (truncation, corruption).</summary>
    public Func<byte[], byte[]> OutBlobTransform { get; set; } = blob => blob;

    public int PrivilegeLevelFloor { get; set; }

    public int EntriesCreated { get; private set; }

    public int ReportsGenerated { get; private set; }

    /// <summary>The last bytes written to an inblob.</summary>
    public byte[]? LastInBlob { get; private set; }

    private bool IsTdx => Provider == "tdx_guest";

    /// <summary>Lets the "hardware" sign <paramref name="outBlob"/>, whose REPORT_DATA is <paramref name="reportData"/>.</summary>
    public void Sign(ReadOnlySpan<byte> reportData, byte[] outBlob, byte[]? auxBlob = null) =>
        _signed[Convert.ToHexString(reportData)] = (outBlob, auxBlob ?? []);

    public override void CreateDirectory(string path)
    {
        if (Provider is null)
        {
            throw new IOException("No such device or address", Enxio);
        }

        base.CreateDirectory(path);
        EntriesCreated++;
        _entries[path] = new EntryState();
        File.WriteAllBytes(Path.Combine(path, "inblob"), []);
        File.WriteAllBytes(Path.Combine(path, "outblob"), []);
        File.WriteAllText(Path.Combine(path, "provider"), Provider + "\n");
        File.WriteAllText(Path.Combine(path, "generation"), "0\n");
        if (!IsTdx)
        {
            File.WriteAllBytes(Path.Combine(path, "auxblob"), []);
            File.WriteAllBytes(Path.Combine(path, "privlevel"), []);
            File.WriteAllText(Path.Combine(path, "privlevel_floor"), PrivilegeLevelFloor.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    public override void RemoveDirectory(string path)
    {
        foreach (string file in Directory.GetFiles(path))
        {
            File.Delete(file);
        }

        _entries.Remove(path);
        base.RemoveDirectory(path);
    }

    public override void Write(string path, ReadOnlySpan<byte> bytes)
    {
        EntryState entry = _entries[Path.GetDirectoryName(path)!];
        switch (Path.GetFileName(path))
        {
            case "privlevel":
                if (!uint.TryParse(Encoding.ASCII.GetString(bytes).TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out uint level) || level < PrivilegeLevelFloor || level > 3)
                {
                    throw new IOException("Invalid argument", Einval);
                }

                break;
            case "inblob":
                entry.InBlob = bytes.ToArray();
                LastInBlob = entry.InBlob;
                break;
        }

        base.Write(path, bytes);
        Advance(path, entry);
    }

    public override byte[] Read(string path)
    {
        string name = Path.GetFileName(path);
        if (name is "outblob" or "auxblob")
        {
            string directory = Path.GetDirectoryName(path)!;
            EntryState entry = _entries[directory];
            if (ForeignWrites > 0)
            {
                ForeignWrites--;
                entry.InBlob = Enumerable.Repeat((byte)0xEE, 64).ToArray();
                Advance(path, entry);
            }

            if (entry.InBlob is null)
            {
                throw new IOException("Invalid argument", Einval);
            }

            if (entry.ReadGeneration != entry.WriteGeneration)
            {
                (byte[] outBlob, byte[] auxBlob) = _signed.TryGetValue(Convert.ToHexString(Pad(entry.InBlob)), out var signed) ? signed : _signed.Values.First();
                File.WriteAllBytes(Path.Combine(directory, "outblob"), OutBlobTransform(outBlob));
                if (!IsTdx)
                {
                    File.WriteAllBytes(Path.Combine(directory, "auxblob"), auxBlob);
                }

                entry.ReadGeneration = entry.WriteGeneration;
                ReportsGenerated++;
            }
        }

        return base.Read(path);
    }

    /// <summary>The entries left behind (none, after every request).</summary>
    public string[] LeftEntries() => Directory.GetDirectories(Root);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Pad(byte[] inblob)
    {
        byte[] padded = new byte[64];
        inblob.CopyTo(padded, 0);
        return padded;
    }

    private static void Advance(string attributePath, EntryState entry)
    {
        entry.WriteGeneration++;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(attributePath)!, "generation"), entry.WriteGeneration.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    private sealed class EntryState
    {
        public byte[]? InBlob { get; set; }

        public ulong WriteGeneration { get; set; }

        public ulong ReadGeneration { get; set; }
    }
}
