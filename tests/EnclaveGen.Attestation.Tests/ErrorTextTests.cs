namespace EnclaveGen.Attestation.Tests;

/// <summary><see cref="ErrorText"/>: what a foreign exception may put into a user-facing message.</summary>
public sealed class ErrorTextTests
{
    [Fact]
    public void AMessageThatEmbedsAnotherExceptionsStackTraceIsCutToItsFirstPart()
    {
        // BouncyCastle's style: throw new ArgumentException("failed to construct sequence from byte[]: " + e).
        IOException inner = Thrown<IOException>(() => throw new IOException("corrupted stream - out of bounds length found: 90 >= 77"));
        ArgumentException outer = new("failed to construct sequence from byte[]: " + inner);
        Assert.Contains("   at ", outer.Message, StringComparison.Ordinal);

        string text = ErrorText.Message(outer);
        Assert.Equal("failed to construct sequence from byte[]: System.IO.IOException: corrupted stream - out of bounds length found: 90 >= 77", text);
        Assert.Equal("ArgumentException: " + text, ErrorText.Describe(outer));
    }

    [Fact]
    public void AMultiLineMessageBecomesOneLineAndAnEmptyOneNamesTheType()
    {
        Assert.Equal("first line second line", ErrorText.Message(new FormatException("first line\r\n  second line\n")));
        Assert.Equal("FormatException", ErrorText.Message(new FormatException(" \n ")));
        Assert.Equal("a message about the method at (0, 0) stays", ErrorText.Message(new FormatException("a message about the method at (0, 0) stays")));
    }

    private static T Thrown<T>(Func<T> thrower)
        where T : Exception
    {
        try
        {
            thrower();
        }
        catch (T caught)
        {
            return caught;
        }

        throw new InvalidOperationException("nothing was thrown");
    }
}
