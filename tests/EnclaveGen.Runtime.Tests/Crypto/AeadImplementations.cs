using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>The boundary AEAD implementations this machine can run, as theory data.</summary>
public static class AeadImplementations
{
    /// <summary>Every implementation except <c>Fastest</c> (an alias), by name; test methods parse it back.</summary>
    public static TheoryData<string> Supported => new(Names);

    /// <summary>The same list as plain names.</summary>
    public static IEnumerable<string> Names =>
        Enum.GetValues<BoundaryAeadImplementation>()
            .Where(implementation => implementation != BoundaryAeadImplementation.Fastest && BoundaryAead.IsSupported(implementation))
            .Select(implementation => implementation.ToString());

    internal static IBoundaryAead Create(string implementation, ReadOnlySpan<byte> key) =>
        BoundaryAead.Create(key, Enum.Parse<BoundaryAeadImplementation>(implementation));
}
