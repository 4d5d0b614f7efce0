using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

/// <summary>
/// Builds small but real .NET assemblies in memory with System.Reflection.Metadata: an assembly
/// name, references, type definitions, <c>[assembly: EnclaveDefinition(...)]</c> attributes and a
/// payload string that stands in for code (changing it changes the image's bytes).
/// </summary>
internal static class TestImages
{
    public static byte[] Enclave(string assemblyName, string enclaveType, int maxThreads = 8, long heapLimitBytes = 0, string payload = "v1", params string[] references)
        => Create(assemblyName, [new EnclaveDefinition(enclaveType, maxThreads, heapLimitBytes)], payload, references);

    public static byte[] Library(string assemblyName, string payload = "lib", params string[] references)
        => Create(assemblyName, [], payload, references);

    public static byte[] Create(string assemblyName, IReadOnlyList<EnclaveDefinition> enclaves, string payload, IReadOnlyList<string> references, IReadOnlyList<string>? extraTypes = null, bool defineEnclaveTypes = true)
    {
        MetadataBuilder metadata = new();
        byte[] seed = SHA256.HashData(Encoding.UTF8.GetBytes(assemblyName + "|" + payload));
        metadata.AddModule(0, metadata.GetOrAddString(assemblyName + ".dll"), metadata.GetOrAddGuid(new Guid(seed.AsSpan(0, 16))), default, default);
        AssemblyDefinitionHandle assembly = metadata.AddAssembly(metadata.GetOrAddString(assemblyName), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.Sha1);
        AssemblyReferenceHandle corlib = metadata.AddAssemblyReference(metadata.GetOrAddString("System.Runtime"), new Version(10, 0, 0, 0), default, metadata.GetOrAddBlob(Convert.FromHexString("b03f5f7f11d50a3a")), default, default);
        AssemblyReferenceHandle runtime = metadata.AddAssemblyReference(metadata.GetOrAddString("EnclaveGen.Runtime"), new Version(0, 1, 0, 0), default, default, default, default);
        foreach (string reference in references)
        {
            metadata.AddAssemblyReference(metadata.GetOrAddString(reference), new Version(1, 0, 0, 0), default, default, default, default);
        }

        TypeReferenceHandle systemObject = metadata.AddTypeReference(corlib, metadata.GetOrAddString("System"), metadata.GetOrAddString("Object"));
        TypeReferenceHandle attributeType = metadata.AddTypeReference(runtime, metadata.GetOrAddString("EnclaveGen.Runtime.Generated"), metadata.GetOrAddString("EnclaveDefinitionAttribute"));
        BlobBuilder signature = new();
        new BlobEncoder(signature).MethodSignature(isInstanceMethod: true).Parameters(3, r => r.Void(), p =>
        {
            p.AddParameter().Type().String();
            p.AddParameter().Type().Int32();
            p.AddParameter().Type().Int64();
        });
        MemberReferenceHandle constructor = metadata.AddMemberReference(attributeType, metadata.GetOrAddString(".ctor"), metadata.GetOrAddBlob(signature));

        FieldDefinitionHandle noFields = MetadataTokens.FieldDefinitionHandle(1);
        MethodDefinitionHandle noMethods = MetadataTokens.MethodDefinitionHandle(1);
        metadata.AddTypeDefinition(default, default, metadata.GetOrAddString("<Module>"), default, noFields, noMethods);
        IEnumerable<string> types = (defineEnclaveTypes ? enclaves.Select(e => e.EnclaveTypeName) : []).Concat(extraTypes ?? []);
        foreach (string type in types.Distinct())
        {
            int dot = type.LastIndexOf('.');
            metadata.AddTypeDefinition(
                TypeAttributes.Public | TypeAttributes.Class,
                metadata.GetOrAddString(dot < 0 ? string.Empty : type[..dot]),
                metadata.GetOrAddString(type[(dot + 1)..]),
                systemObject,
                noFields,
                noMethods);
        }

        foreach (EnclaveDefinition enclave in enclaves)
        {
            BlobBuilder value = new();
            value.WriteUInt16(1);
            value.WriteSerializedString(enclave.EnclaveTypeName);
            value.WriteInt32(enclave.MaxThreads);
            value.WriteInt64(enclave.HeapLimitBytes);
            value.WriteUInt16(0);
            metadata.AddCustomAttribute(assembly, constructor, metadata.GetOrAddBlob(value));
        }

        metadata.GetOrAddUserString(payload);
        ManagedPEBuilder pe = new(
            PEHeaderBuilder.CreateLibraryHeader(),
            new MetadataRootBuilder(metadata),
            new BlobBuilder(),
            deterministicIdProvider: content => new BlobContentId(new Guid(seed.AsSpan(16, 16)), 0x12345678));
        BlobBuilder output = new();
        pe.Serialize(output);
        return output.ToArray();
    }
}
