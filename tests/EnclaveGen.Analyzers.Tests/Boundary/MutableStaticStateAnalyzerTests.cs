using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;
using Verify = EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveAnalyzerTest<EnclaveGen.Analyzers.Boundary.MutableStaticStateAnalyzer>;

namespace EnclaveGen.Analyzers.Tests.Boundary;

public sealed class MutableStaticStateAnalyzerTests
{
    [Fact]
    public async Task MutableStaticFieldsAndPropertiesInAnEnclaveAreReported()
    {
        await Verify.VerifyAsync("""
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private static int {|#0:s_calls|};
                public static string {|#1:LastUser|} { get; set; } = "";

                private sealed class Cache
                {
                    internal static byte[] {|#2:Shared|} = new byte[1];
                }
            }
            """,
            Diagnostic("EG1104", 0).WithArguments("field", "s_calls", "Vault"),
            Diagnostic("EG1104", 1).WithArguments("property", "LastUser", "Vault"),
            Diagnostic("EG1104", 2).WithArguments("field", "Shared", "Vault"));
    }

    [Fact]
    public async Task ConstantsReadonlyFieldsAndGetOnlyPropertiesAreFine()
    {
        await Verify.VerifyAsync("""
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private const int Version = 1;
                private static readonly byte[] s_table = new byte[16];
                public static int Size => s_table.Length;
                public static string Name { get; } = "vault";
                private int _instanceCounter;
            }

            class Host
            {
                public static int HostCounter;
            }
            """);
    }
}
