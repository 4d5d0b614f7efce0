using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Tests.Formats;

public sealed class SgxReportTests
{
    private static readonly byte[] s_platformSecret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] s_keyId = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ i)).ToArray();

    [Fact]
    public void ReportBodySerializesAndParsesBackToTheSameBytes()
    {
        byte[] real = TestData.SgxQuote.AsSpan(48, 384).ToArray();

        SgxReportBody body = SgxReportBody.Parse(real);

        Assert.Equal(real, body.ToBytes());
        Assert.True(body.Attributes.IsDebug);
        Assert.Equal((ushort)1, body.IsvProdId);
    }

    [Fact]
    public void ReportBodyWithNonZeroReservedBytesIsRefusedNamingTheField()
    {
        byte[] bytes = new SgxReportBody().ToBytes();
        bytes[100] = 1;

        var e = Assert.Throws<EvidenceFormatException>(() => SgxReportBody.Parse(bytes));

        Assert.Equal("reserved2", e.Field);
        Assert.Equal(100, e.Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(383)]
    [InlineData(385)]
    public void ReportBodyOfTheWrongSizeIsRefused(int size)
    {
        var e = Assert.Throws<EvidenceFormatException>(() => SgxReportBody.Parse(new byte[size]));

        Assert.Equal("format", e.Check);
    }

    [Fact]
    public void SerializingAFieldOfTheWrongLengthIsAnArgumentError()
    {
        var body = new SgxReportBody { MrEnclave = new byte[31] };

        Assert.Throws<ArgumentException>(() => body.ToBytes());
    }

    [Fact]
    public void LocalReportMacVerifiesOnlyUnderTheTargetsReportKey()
    {
        byte[] target = Enumerable.Repeat((byte)0x5A, 32).ToArray();
        byte[] other = Enumerable.Repeat((byte)0x5B, 32).ToArray();
        var attributes = new SgxAttributes(SgxAttributes.Init | SgxAttributes.Mode64Bit, 3);
        byte[] targetKey = SgxReport.DeriveReportKey(s_platformSecret, target, attributes, 0, s_keyId);
        byte[] otherKey = SgxReport.DeriveReportKey(s_platformSecret, other, attributes, 0, s_keyId);

        SgxReport report = SgxReport.Create(new SgxReportBody { IsvSvn = 9 }, s_keyId, targetKey);
        SgxReport parsed = SgxReport.Parse(report.ToBytes());

        Assert.Equal(SgxReport.Size, report.ToBytes().Length);
        Assert.True(parsed.IsMacValid(targetKey));
        Assert.False(parsed.IsMacValid(otherKey));
        Assert.Equal("report.mac", Assert.Throws<EvidenceVerificationException>(() => parsed.VerifyMac(otherKey)).Check);
        Assert.Equal((ushort)9, parsed.Body.IsvSvn);
    }

    [Fact]
    public void LocalReportMacIsAes128CmacOverTheBody()
    {
        // RFC 4493 example 1 key with an all-zero body checks the CMAC wiring (body only, no KEYID).
        byte[] key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        var cmac = new Org.BouncyCastle.Crypto.Macs.CMac(new Org.BouncyCastle.Crypto.Engines.AesEngine());
        cmac.Init(new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key));
        byte[] body = new SgxReportBody().ToBytes();
        cmac.BlockUpdate(body, 0, body.Length);
        byte[] expected = new byte[16];
        cmac.DoFinal(expected, 0);

        SgxReport report = SgxReport.Create(new SgxReportBody(), new byte[32], key);

        Assert.Equal(expected, report.Mac.ToArray());
    }

    [Theory]
    [InlineData("", "bb1d6929e95937287fa37d129b756746")]
    [InlineData("6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", "51f0bebf7e3b9d92fc49741779363cfe")]
    public void MacFunctionMatchesTheRfc4493Vectors(string message, string mac)
    {
        byte[] key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");

        Assert.Equal(mac, Convert.ToHexStringLower(SgxReport.ComputeMac(Convert.FromHexString(message), key)));
    }

    [Fact]
    public void EveryBitFlipOfALocalReportBodyOrMacIsDetected_Exhaustive()
    {
        byte[] key = SgxReport.DeriveReportKey(s_platformSecret, new byte[32], default, 0, s_keyId);
        byte[] bytes = SgxReport.Create(new SgxReportBody { IsvProdId = 3 }, s_keyId, key).ToBytes();
        int accepted = 0;
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            if (bit / 8 is >= SgxReportBody.Size and < SgxReportBody.Size + SgxReport.KeyIdSize)
            {
                continue; // KEYID is not MAC'd: it selects the key, so a changed KEYID gives a different key.
            }

            byte[] tampered = (byte[])bytes.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                if (SgxReport.Parse(tampered).IsMacValid(key))
                {
                    accepted++;
                }
            }
            catch (EvidenceFormatException)
            {
                // A reserved byte was set: refused before the MAC.
            }
        }

        Assert.Equal(0, accepted);
    }
}
