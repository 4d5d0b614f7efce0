using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// In-process, trusted code runs from the enclave's own copy of this library, so <see cref="Color"/>
/// inside is not the host's <see cref="Color"/>; an array passed without copying still arrives.
/// </summary>
public sealed class UserCheckTests
{
    [Fact]
    public async Task AnArrayOfAnEnumTheLibraryDeclaresIsSharedWithTheEnclavesCopyOfTheLibrary()
    {
        await using Borrower.Proxy borrower = await Borrower.CreateEnclaveAsync();
        Color[] colors = [Color.Red, Color.Green, Color.Red];

#pragma warning disable EG2004 // Deliberate: this is the test of the unsafe opt-out.
        Assert.Equal(2, borrower.Recolor(colors, Color.Red, Color.Green));
#pragma warning restore EG2004

        // No copy back: the enclave wrote into the host's array itself.
        Assert.Equal([Color.Green, Color.Green, Color.Green], colors);
    }
}
