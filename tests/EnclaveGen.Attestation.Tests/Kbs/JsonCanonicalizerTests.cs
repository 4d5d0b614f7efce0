using System.Text;
using EnclaveGen.Attestation.Kbs;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>RFC 8785 against the RFC's own examples (sections 3.2.2 and 3.2.3, Appendix B).</summary>
public sealed class JsonCanonicalizerTests
{
    [Fact]
    public void TheRfcsPrimitiveExampleCanonicalizesToItsPublishedBytes()
    {
        // RFC 8785 section 3.2.2, input and expected output as printed there.
        const string Input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string Expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Assert.Equal(Expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Input)));
    }

    [Fact]
    public void MembersAreSortedByUtf16CodeUnitsAsInTheRfcsSortingExample()
    {
        // RFC 8785 section 3.2.3: the emoji (a surrogate pair, 0xD83D...) sorts before U+FB33.
        const string Input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        string canonical = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Input));

        string[] values = ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"];
        int[] positions = [.. values.Select(v => canonical.IndexOf(v, StringComparison.Ordinal))];
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.StartsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"", canonical, StringComparison.Ordinal);
    }

    [Theory]
    // RFC 8785 Appendix B: IEEE-754 bit patterns and their ECMAScript text.
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void NumbersAreWrittenAsAppendixBPrintsThem(ulong bits, string expected)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);

        Assert.Equal(expected, JsonCanonicalizer.FormatNumber(value));
        // and through the parser: the shortest round-trip text of the value reads back to the same bytes
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void NestedValuesAreSortedAtEveryLevelAndWhitespaceIsDropped()
    {
        Assert.Equal("{\"a\":[{\"x\":1,\"y\":{\"m\":true,\"n\":null}}],\"b\":\"\"}",
            Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(" { \"b\" : \"\" , \"a\" : [ { \"y\" : { \"n\" : null , \"m\" : true } , \"x\" : 1.0 } ] } ")));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "'a' appears twice")]
    [InlineData("[1e400]", "outside the range")]
    [InlineData("{\"a\":", "Not JSON")]
    public void InputWithoutACanonicalFormIsRefusedByName(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => JsonCanonicalizer.Canonicalize(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
