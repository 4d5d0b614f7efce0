using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;
using Verify = EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveAnalyzerTest<EnclaveGen.Analyzers.Taint.SecretNamingAnalyzer>;

namespace EnclaveGen.Analyzers.Tests.Taint;

public sealed class SecretNamingAnalyzerTests
{
    [Fact]
    public async Task SecretLookingNamesWithoutSecretAreReported()
    {
        await Verify.VerifyAsync(
            """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private byte[] {|#0:_privateKey|} = new byte[32];
                public string {|#1:ApiToken|} { get; set; } = "";

                [Trusted]
                public void Login(string user, string {|#2:password|}, int {|#3:pin|}) { }
            }
            """,
            Diagnostic("EG3007", 0).WithArguments("_privateKey", "its name contains 'private key'"),
            Diagnostic("EG3007", 1).WithArguments("ApiToken", "its name contains 'token'"),
            Diagnostic("EG3007", 2).WithArguments("password", "its name contains 'password'"),
            Diagnostic("EG3007", 3).WithArguments("pin", "its name contains 'pin'"));
    }

    [Fact]
    public async Task MarkedOrPublicNamesAreFine()
    {
        await Verify.VerifyAsync("""
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Secret] private byte[] _privateKey = new byte[32];
                private int _passwordLength;
                private bool _hasToken;
                private string _keyId = "";

                [Trusted]
                public void Login(string user, [Secret] string password, string passwordHint, System.Threading.CancellationToken cancellationToken, int tokenCount) { }

                private void Helper(string password) { }
            }

            class Host
            {
                public void Login(string password) { }
            }
            """);
    }
}
