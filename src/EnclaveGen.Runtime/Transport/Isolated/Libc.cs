using System.Runtime.InteropServices;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>The few Linux system calls isolated mode needs, through glibc.</summary>
internal static unsafe partial class Libc
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int ETIMEDOUT = 110;

    private const string Library = "libc";
    private const int FutexWait = 0;   // shared (not FUTEX_PRIVATE_FLAG): the word lives in memory two processes map
    private const int FutexWake = 1;
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;
    private const int RlimitCore = 4;
    private const int ORdWr = 2;

    private static readonly nint s_futexSyscall = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        Architecture.RiscV64 => 98,
        Architecture.LoongArch64 => 98,
        _ => -1,
    };

    /// <summary>True where the futex system call number is known (isolated mode's requirement).</summary>
    public static bool FutexSupported => OperatingSystem.IsLinux() && s_futexSyscall > 0;

    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, up to
    /// <paramref name="timeoutNanoseconds"/> (negative: no limit). Returns 0 when woken, or the errno
    /// (EAGAIN: the word had already changed; ETIMEDOUT; EINTR).
    /// </summary>
    public static int Wait(int* word, int expected, long timeoutNanoseconds)
    {
        Timespec timeout = new() { Seconds = timeoutNanoseconds / 1_000_000_000, Nanoseconds = timeoutNanoseconds % 1_000_000_000 };
        nint result = syscall(s_futexSyscall, word, FutexWait, expected, timeoutNanoseconds < 0 ? null : &timeout, 0, 0);
        return result == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Wakes every thread (in any process) sleeping on <paramref name="word"/>.</summary>
    public static void Wake(int* word) => syscall(s_futexSyscall, word, FutexWake, int.MaxValue, null, 0, 0);

    /// <summary>prctl(PR_SET_DUMPABLE, 0): no ptrace attach, /proc/self/mem and friends owned by root, no core dump.</summary>
    public static void MakeNonDumpable()
    {
        if (prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
        {
            throw new EnclaveException($"prctl(PR_SET_DUMPABLE, 0) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static bool IsDumpable() => prctl(PrGetDumpable, 0, 0, 0, 0) != 0;

    /// <summary>setrlimit(RLIMIT_CORE, 0, 0): no core file even where dumps are otherwise allowed.</summary>
    public static void DisableCoreDumps()
    {
        Rlimit none = default;
        if (setrlimit(RlimitCore, &none) != 0)
        {
            throw new EnclaveException($"setrlimit(RLIMIT_CORE, 0) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static ulong CoreLimit()
    {
        Rlimit current;
        return getrlimit(RlimitCore, &current) == 0 ? current.Current : ulong.MaxValue;
    }

    /// <summary>Duplicates <paramref name="fd"/> to a new descriptor that is closed on exec.</summary>
    public static int Duplicate(int fd)
    {
        int copy = fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
        return copy >= 0 ? copy : throw new EnclaveException($"fcntl(F_DUPFD_CLOEXEC) on fd {fd} failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Makes <paramref name="target"/> refer to what <paramref name="source"/> refers to.</summary>
    public static void Redirect(int source, int target)
    {
        if (dup2(source, target) < 0)
        {
            throw new EnclaveException($"dup2({source}, {target}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static int OpenDevNull()
    {
        fixed (byte* path = "/dev/null\0"u8)
        {
            int fd = open(path, ORdWr);
            return fd >= 0 ? fd : throw new EnclaveException($"open(/dev/null) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Ends the process at once: no finalizers, no waiting for threads.</summary>
    public static void ExitNow(int code) => _exit(code);

    [LibraryImport(Library, SetLastError = true)]
    private static partial nint syscall(nint number, int* address, int operation, int value, Timespec* timeout, nint address2, int value3);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int setrlimit(int resource, Rlimit* limit);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int getrlimit(int resource, Rlimit* limit);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int open(byte* path, int flags);

    [LibraryImport(Library)]
    private static partial void _exit(int status);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
