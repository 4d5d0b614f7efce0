using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// Files and folders named after the process that made them, <c>prefix-pid-hex</c>, so that one a
/// killed process left behind can be told from one in use, and removed. The isolated transport's
/// shared regions are named so (the benchmarks' working folders too).
/// </summary>
internal static class ProcessNamedEntries
{
    /// <summary>A new name for this process: <paramref name="prefix"/>, the process ID, <paramref name="hexDigits"/> random hex digits (even).</summary>
    public static string NewName(string prefix, int hexDigits) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(hexDigits / 2))}");

    /// <summary>
    /// Deletes the entries of <paramref name="folder"/> (folders, with what they hold, when
    /// <paramref name="directories"/>; files otherwise) named as <see cref="NewName"/> names them
    /// whose process has ended. Entries of a running process, of another user, or named otherwise are
    /// left alone, as is a folder that cannot be listed. Returns how many were deleted.
    /// </summary>
    public static int RemoveAbandoned(string folder, string prefix, int hexDigits, bool directories)
    {
        int removed = 0;
        try
        {
            IEnumerable<string> entries = directories
                ? Directory.EnumerateDirectories(folder, prefix + "-*")
                : Directory.EnumerateFiles(folder, prefix + "-*");
            foreach (string entry in entries)
            {
                string rest = Path.GetFileName(entry)[(prefix.Length + 1)..];
                string[] parts = rest.Split('-');
                if (parts.Length != 2 || parts[1].Length != hexDigits
                    || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid))
                {
                    continue;
                }

                try
                {
                    if (directories)
                    {
                        Directory.Delete(entry, recursive: true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }

                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or another process removed it first.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder cannot be listed: nothing to clean.
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
