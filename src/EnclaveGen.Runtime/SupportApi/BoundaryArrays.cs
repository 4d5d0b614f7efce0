using System.ComponentModel;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Generated;

/// <summary>Array creation for generated decoders, so any element type (nested arrays, nullable elements) is spelled one way.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BoundaryArrays
{
    /// <summary>A new array of <paramref name="count"/> elements; the caller already checked the count against the message.</summary>
    public static T[] Create<T>(int count) => count switch
    {
        0 => [],
        // Only the null marker of an [Out] Memory's length can be negative here; Memory is never null.
        < 0 => throw new EnclaveMarshallingException("A boundary message is malformed: null arrived for an [Out] buffer that cannot be null."),
        _ => new T[count],
    };

    /// <summary>
    /// The buffer for an [Out] array parameter the callee fills, from the length the caller sent
    /// (-1 for a null array, allowed only when the parameter's type is nullable).
    /// </summary>
    public static T[] CreateForOut<T>(int length, bool allowNull)
    {
        if (length == MessageFormat.NullLength)
        {
            return allowNull
                ? null!
                : throw new EnclaveMarshallingException("A boundary message is malformed: null arrived for an [Out] array that the signature declares non-nullable.");
        }

        return Create<T>(length);
    }
}
