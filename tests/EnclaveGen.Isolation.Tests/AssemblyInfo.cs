using System.Runtime.Versioning;

// Isolated mode, and these tests of it, are Linux only (futex, prctl, /proc).
[assembly: SupportedOSPlatform("linux")]
