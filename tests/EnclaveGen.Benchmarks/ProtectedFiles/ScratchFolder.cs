using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// The working folders of the protected-file benchmarks, named after the process that made them.
/// A run that is killed (a timeout, Ctrl+C) never deletes its folder, and on /dev/shm each one
/// holds a few hundred MiB of memory; every new folder first removes those whose process is gone.
/// </summary>
internal static class ScratchFolder
{
    private const int NameHexDigits = 32;

    public static string Create(string root, string prefix)
    {
        ProcessNamedEntries.RemoveAbandoned(root, prefix, NameHexDigits, directories: true);
        string folder = Path.Combine(root, ProcessNamedEntries.NewName(prefix, NameHexDigits));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
