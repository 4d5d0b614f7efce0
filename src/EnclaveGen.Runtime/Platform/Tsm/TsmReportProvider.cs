using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Runtime.Platform.Tsm;

namespace EnclaveGen;

/// <summary>
/// Real confidential-VM evidence through Linux's configfs TSM report interface (kernel 6.7 and
/// later): it makes a report entry of its own under <see cref="Root"/>, writes 64 bytes of report
/// data to <c>inblob</c>, reads <c>outblob</c> (an SEV-SNP report from <c>sev_guest</c>, a TDX quote
/// from <c>tdx_guest</c>) and <c>auxblob</c>, and removes the entry.
/// </summary>
/// <remarks>
/// The kernel increments the entry's <c>generation</c> on every write; the provider reads it before
/// writing and after reading, and when it moved by more than its own writes another writer shared
/// the entry, so the attempt is discarded and made again in a fresh entry (up to
/// <see cref="MaxAttempts"/>). The evidence must bind the report data written, or it is refused.
/// </remarks>
public sealed class TsmReportProvider
{
    /// <summary>Where Linux mounts the interface.</summary>
    public const string DefaultRoot = "/sys/kernel/config/tsm/report";

    /// <summary>The report data size (the kernel's TSM_INBLOB_MAX).</summary>
    public const int ReportDataSize = 64;

    /// <summary>How many times a request is made before a concurrent writer fails it.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The provider name of AMD SEV-SNP guests.</summary>
    public const string SevGuest = "sev_guest";

    /// <summary>The provider name of Intel TDX guests.</summary>
    public const string TdxGuest = "tdx_guest";

    private const int Enxio = 6;
    private const int Ebusy = 16;
    private const int Einval = 22;
    private const int Enotty = 25;

    private readonly TsmFiles _files;

    /// <summary>Creates a provider over the interface at <paramref name="root"/> (by default <see cref="DefaultRoot"/>).</summary>
    public TsmReportProvider(string? root = null)
        : this(root ?? DefaultRoot, new TsmFiles())
    {
    }

    internal TsmReportProvider(string root, TsmFiles files)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
        _files = files;
    }

    /// <summary>The report directory this provider uses.</summary>
    public string Root { get; }

    /// <summary>True when the interface exists at <see cref="Root"/> (it may still have no provider behind it).</summary>
    public bool IsPresent => _files.DirectoryExists(Root);

    /// <summary>Gets a report binding <paramref name="reportData"/> (up to 64 bytes, zero-padded).</summary>
    /// <param name="reportData">What the evidence binds (REPORT_DATA / REPORTDATA).</param>
    /// <param name="privilegeLevel">SEV-SNP: the VMPL to report at (the kernel checks it against <c>privlevel_floor</c>); null leaves the kernel's default.</param>
    /// <exception cref="TsmReportException">No interface, an unknown provider, a concurrent writer on every attempt, malformed output, or a kernel error; <see cref="TsmReportException.Reason"/> says which.</exception>
    public TsmReport GetReport(ReadOnlySpan<byte> reportData, int? privilegeLevel = null)
    {
        if (reportData.Length > ReportDataSize)
        {
            throw new ArgumentException($"Report data is at most {ReportDataSize} bytes; got {reportData.Length}.", nameof(reportData));
        }

        if (!IsPresent)
        {
            throw Unavailable($"'{Root}' does not exist");
        }

        byte[] inblob = new byte[ReportDataSize];
        reportData.CopyTo(inblob);
        string? race = null;
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            string entry = Path.Combine(Root, $"enclavegen-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
            try
            {
                _files.CreateDirectory(entry);
            }
            catch (IOException e) when (e.HResult == Enxio)
            {
                throw Unavailable($"the kernel has '{Root}' but no provider behind it (mkdir failed with ENXIO)", e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Kernel($"creating the report entry '{entry}'", e);
            }

            bool completed = false;
            try
            {
                (TsmReport? report, race) = Attempt(entry, inblob, privilegeLevel);
                completed = true;
                if (report is not null)
                {
                    return report;
                }
            }
            finally
            {
                Remove(entry, throwOnFailure: completed);
            }
        }

        throw new TsmReportException($"another writer changed the TSM report entry while this request used it, on each of {MaxAttempts} attempts ({race}); find the process that writes under '{Root}', or make requests from one context at a time", TsmReportFailure.ConcurrentWriter);
    }

    /// <summary>One request in a fresh entry: the report, or null and why the generation says it was raced.</summary>
    private (TsmReport? Report, string? Race) Attempt(string entry, byte[] inblob, int? privilegeLevel)
    {
        string provider = ReadText(entry, "provider");
        EvidenceFormat format = provider switch
        {
            SevGuest => EvidenceFormat.SnpReport,
            TdxGuest => EvidenceFormat.TdxQuote,
            _ => throw new TsmReportException($"the TSM provider is '{provider}', expected '{SevGuest}' (AMD SEV-SNP) or '{TdxGuest}' (Intel TDX); this runtime cannot read its evidence", TsmReportFailure.UnknownProvider),
        };

        ulong before = ReadGeneration(entry);
        ulong writes = 0;
        if (privilegeLevel is { } level)
        {
            string path = Path.Combine(entry, "privlevel");
            if (!_files.FileExists(path))
            {
                throw new TsmReportException($"the '{provider}' provider has no privilege levels (no 'privlevel' attribute), but level {level} was asked for; ask for none", TsmReportFailure.KernelError);
            }

            WriteAttribute(path, Encoding.ASCII.GetBytes(level.ToString(CultureInfo.InvariantCulture) + "\n"), entry, $"privilege level {level}");
            writes++;
        }

        WriteAttribute(Path.Combine(entry, "inblob"), inblob, entry, "the report data");
        writes++;
        byte[] outblob = ReadAttribute(Path.Combine(entry, "outblob"));
        string auxPath = Path.Combine(entry, "auxblob");
        byte[] auxblob = _files.FileExists(auxPath) ? ReadAttribute(auxPath) : [];
        ulong after = ReadGeneration(entry);
        if (after != before + writes)
        {
            return (null, $"generation {before} before, {after} after, {before + writes} expected");
        }

        (ReadOnlyMemory<byte> bound, IReadOnlyList<byte[]> certificates) = ReadEvidence(provider, outblob, auxblob);
        if (!bound.Span.SequenceEqual(inblob))
        {
            throw new TsmReportException($"the '{provider}' evidence binds report data {Convert.ToHexStringLower(bound.Span)}, not the {Convert.ToHexStringLower(inblob)} written to inblob; the kernel or the platform did not honour the request", TsmReportFailure.ReportDataMismatch);
        }

        return (new TsmReport(provider, format, outblob, auxblob, certificates, after), null);
    }

    /// <summary>Parses the outblob in the provider's format, and an SNP auxblob's certificate table.</summary>
    private static (ReadOnlyMemory<byte> ReportData, IReadOnlyList<byte[]> Certificates) ReadEvidence(string provider, byte[] outblob, byte[] auxblob)
    {
        try
        {
            if (provider == SevGuest)
            {
                if (outblob.Length != SnpReport.Size)
                {
                    throw new TsmReportException($"the '{provider}' outblob is {outblob.Length} bytes, expected an SEV-SNP report of {SnpReport.Size}: it is truncated or not a report", TsmReportFailure.MalformedOutput);
                }

                SnpReport report = SnpReport.Parse(outblob);
                IReadOnlyList<byte[]> certificates = auxblob.Length == 0 ? [] : SnpCertificateTable.SigningChain(auxblob);
                return (report.ReportData, certificates);
            }

            return (TdxQuote.Parse(outblob).ReportBody.ReportData, []);
        }
        catch (EvidenceFormatException e)
        {
            throw new TsmReportException($"the '{provider}' output is malformed: {ErrorText.Message(e)}", TsmReportFailure.MalformedOutput, e);
        }
    }

    private string ReadText(string entry, string attribute)
    {
        byte[] bytes = ReadAttribute(Path.Combine(entry, attribute));
        return Encoding.ASCII.GetString(bytes).TrimEnd('\n');
    }

    private ulong ReadGeneration(string entry)
    {
        string text = ReadText(entry, "generation");
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong generation)
            ? generation
            : throw new TsmReportException($"the TSM entry's generation is '{text}', expected a decimal number", TsmReportFailure.MalformedOutput);
    }

    private byte[] ReadAttribute(string path)
    {
        try
        {
            return _files.Read(path);
        }
        catch (IOException e) when (e.HResult is Enotty or Enxio)
        {
            throw Unavailable($"the provider went away while '{path}' was read", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Kernel($"reading '{path}'", e);
        }
    }

    private void WriteAttribute(string path, byte[] bytes, string entry, string what)
    {
        try
        {
            _files.Write(path, bytes);
        }
        catch (IOException e) when (e.HResult == Einval && Path.GetFileName(path) == "privlevel")
        {
            string floorPath = Path.Combine(entry, "privlevel_floor");
            string floor = _files.FileExists(floorPath) ? ReadText(entry, "privlevel_floor") : "?";
            throw new TsmReportException($"the kernel refused {what} (EINVAL): a privilege level must be from privlevel_floor ({floor}) to 3", TsmReportFailure.KernelError, e);
        }
        catch (IOException e) when (e.HResult == Ebusy)
        {
            throw new TsmReportException($"the kernel refused {what} (EBUSY): the entry was written too often without a read", TsmReportFailure.ConcurrentWriter, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Kernel($"writing {what} to '{path}'", e);
        }
    }

    /// <summary>Removes the entry; a failure matters only when nothing else already failed.</summary>
    private void Remove(string entry, bool throwOnFailure)
    {
        try
        {
            _files.RemoveDirectory(entry);
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && !throwOnFailure)
        {
            // The request already failed with its own error, which says more than this one.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Kernel($"removing the report entry '{entry}'", e);
        }
    }

    private static TsmReportException Unavailable(string detail, Exception? inner = null) =>
        new($"no TSM report interface: not a CVM, or the kernel is older than 6.7 ({detail}). Run in an AMD SEV-SNP or Intel TDX guest with configfs mounted, or use the emulated platform", TsmReportFailure.Unavailable, inner);

    private static TsmReportException Kernel(string what, Exception e) =>
        new($"the kernel refused {what}: {ErrorText.Message(e)} (errno {e.HResult}); check that the process may write under the TSM report directory (root, or a group the directory is shared with)", TsmReportFailure.KernelError, e);
}
