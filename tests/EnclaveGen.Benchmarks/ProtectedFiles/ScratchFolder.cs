using System.Diagnostics;
using System.Globalization;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// The working folders of the protected-file benchmarks, named after the process that made them.
/// A run that is killed (a timeout, Ctrl+C) never deletes its folder, and on /dev/shm each one
/// holds a few hundred MiB of memory; every new folder first removes those whose process is gone.
/// </summary>
internal static class ScratchFolder
{
    public static string Create(string root, string prefix)
    {
        RemoveAbandoned(root, prefix);
        string folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static void RemoveAbandoned(string root, string prefix)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (string folder in Directory.EnumerateDirectories(root, prefix + "-*"))
        {
            string[] parts = Path.GetFileName(folder).Split('-');
            if (parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another run is removing it too, or a file in it is still open: leave it.
                }
                catch (UnauthorizedAccessException)
                {
                    // Another user's: not ours to remove.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
