namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>Steady-state seal and open allocate nothing.</summary>
public sealed class AllocationTests
{
    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void SteadyStateSealAndOpenAllocateZeroBytes(string implementation)
    {
        byte[] key = new byte[32];
        new Random(1).NextBytes(key);
        using var aead = AeadImplementations.Create(implementation, key);
        byte[] nonce = new byte[12];
        byte[] aad = new byte[24];
        byte[] small = new byte[64];
        byte[] large = new byte[4096 + 5];
        byte[] smallOut = new byte[small.Length];
        byte[] largeOut = new byte[large.Length];
        byte[] tag = new byte[16];

        int i = 0;
        SteadyState.AssertAllocatesNothing(() =>
        {
            nonce[0] = (byte)i++;
            aead.Seal(nonce, small, smallOut, tag, aad);
            if (!aead.Open(nonce, smallOut, tag, small, aad))
            {
                throw new InvalidOperationException("round trip failed");
            }

            aead.Seal(nonce, large, large, tag, aad);
            if (!aead.Open(nonce, large, tag, largeOut, aad))
            {
                throw new InvalidOperationException("round trip failed");
            }
        });
    }
}
