using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>The boundary AEAD implementations this machine can run, as theory data.</summary>
public static class AeadImplementations
{
    /// <summary>Every implementation except <c>Fastest</c> (an alias), by name; test methods parse it back.</summary>
    public static TheoryData<string> Supported
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (BoundaryAeadImplementation implementation in Enum.GetValues<BoundaryAeadImplementation>())
            {
                if (implementation != BoundaryAeadImplementation.Fastest && BoundaryAead.IsSupported(implementation))
                {
                    data.Add(implementation.ToString());
                }
            }

            return data;
        }
    }

    internal static IBoundaryAead Create(string implementation, ReadOnlySpan<byte> key) =>
        BoundaryAead.Create(key, Enum.Parse<BoundaryAeadImplementation>(implementation));
}
