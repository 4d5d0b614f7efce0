using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>Values are copied, never shared, and travel the way their C# modifier says.</summary>
public abstract class DirectionTests(EnclaveMode mode) : IAsyncLifetime
{
    private Zoo.Proxy _zoo = null!;

    public async Task InitializeAsync() => _zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

    public async Task DisposeAsync() => await _zoo.DisposeAsync();

    [Fact]
    public void RefGoesBothWaysOutComesBackInGoesIn()
    {
        int counter = 41;
        byte[] data = [1, 2, 3];
        int result = _zoo.Directions(ref counter, out string label, 7L, ref data);

        Assert.Equal(7, result);
        Assert.Equal(42, counter);
        Assert.Equal("counter was 41", label);
        Assert.Equal(new byte[] { 3, 2, 1 }, data);
    }

    [Fact]
    public void MutatingTheHostsArrayAfterTheCallDoesNotTouchTheEnclavesCopy()
    {
        byte[] mine = [1, 2, 3, 4];
        _zoo.Store(mine);
        mine[0] = 99;

        byte[] returned = _zoo.Stored();
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, returned);

        returned[1] = 77;
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, _zoo.Stored());
        Assert.NotSame(returned, _zoo.Stored());
    }

    [Fact]
    public void ByteArraysInRefParametersAreFreshArraysAfterTheCall()
    {
        byte[] original = [5, 6];
        byte[] data = original;
        int counter = 0;
        _zoo.Directions(ref counter, out _, 0, ref data);

        Assert.NotSame(original, data);
        Assert.Equal(new byte[] { 5, 6 }, original);
        Assert.Equal(new byte[] { 6, 5 }, data);
    }
}
