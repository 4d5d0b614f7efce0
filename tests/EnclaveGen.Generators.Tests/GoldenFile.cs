using System.Reflection;

namespace EnclaveGen.Generators.Tests;

/// <summary>
/// Compares generated text with a file under Golden/ beside the tests. Set
/// ENCLAVEGEN_UPDATE_GOLDEN=1 to rewrite the files instead (then review the diff).
/// </summary>
internal static class GoldenFile
{
    private static readonly string s_directory = Path.Combine(
        typeof(GoldenFile).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "Golden");

    public static void AssertMatches(string name, string actual)
    {
        string path = Path.Combine(s_directory, name);
        string normalized = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("ENCLAVEGEN_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing. Run the tests with ENCLAVEGEN_UPDATE_GOLDEN=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, normalized);
    }
}
