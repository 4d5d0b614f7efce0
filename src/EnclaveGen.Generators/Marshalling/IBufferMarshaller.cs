using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// The extra operations of a buffer a callee fills ([Out] or [In, Out], as in P/Invoke): arrays,
/// spans and Memory. The marshaller of every kind whose <see cref="Shared.Marshalling.KindFacts.Fill"/>
/// says fillable implements it (a test holds the table to that).
/// </summary>
internal interface IBufferMarshaller
{
    /// <summary>A statement that sends only the length of an [Out] buffer <paramref name="value"/>.</summary>
    string WriteLength(TypeModel type, string writer, string value);

    /// <summary>An expression for the callee's zeroed [Out] buffer, of the length the caller sent.</summary>
    string CreateForOut(TypeModel type, string reader);

    /// <summary>A statement that writes the callee's buffer back after the call.</summary>
    string WriteBack(TypeModel type, string writer, string value, MarshalContext context);

    /// <summary>A statement that reads the returning contents into the caller's own buffer <paramref name="destination"/>.</summary>
    string ReadBack(TypeModel type, string reader, string destination, MarshalContext context);
}
