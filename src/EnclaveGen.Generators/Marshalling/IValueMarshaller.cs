using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Knows how one kind of value is written to and read from a boundary message, as C# source.
/// Adding a kind is adding one marshaller and its tests.
/// </summary>
internal interface IValueMarshaller
{
    /// <summary>A statement that writes <paramref name="value"/> with the WireWriter <paramref name="writer"/>.</summary>
    string Write(TypeModel type, string writer, string value);

    /// <summary>An expression that reads a value of <paramref name="type"/> from the WireReader <paramref name="reader"/>.</summary>
    string Read(TypeModel type, string reader);
}
