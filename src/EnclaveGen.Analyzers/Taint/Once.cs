namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// A value computed once, by the first caller, while the others wait. Unlike <see cref="Lazy{T}"/>
/// a computation cancelled by its caller's token is not kept: the next caller computes it again
/// with its own token (the IDE cancels requests as the user types; a build never does).
/// </summary>
internal sealed class Once<T>
    where T : class
{
    private readonly Func<CancellationToken, T> _compute;
    private readonly object _gate = new();
    private T? _value;

    public Once(Func<CancellationToken, T> compute) => _compute = compute;

    public T Get(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _value) is { } value)
        {
            return value;
        }

        lock (_gate)
        {
            if (_value is { } computed)
            {
                return computed;
            }

            cancellationToken.ThrowIfCancellationRequested();
            T result = _compute(cancellationToken);
            Volatile.Write(ref _value, result);
            return result;
        }
    }
}
