using System.Reflection;

namespace EnclaveGen.Runtime.Identity;

/// <summary>Finds the image file of a loaded enclave library, which the loader must re-measure.</summary>
public static class EnclaveImageLocator
{
    /// <summary>The path of <paramref name="enclaveAssembly"/>'s file.</summary>
    /// <exception cref="EnclaveImageException">
    /// The assembly has no file: it was bundled into a single-file app or compiled with NativeAOT.
    /// </exception>
    public static string Locate(Assembly enclaveAssembly)
    {
        ArgumentNullException.ThrowIfNull(enclaveAssembly);
        string name = enclaveAssembly.GetName().Name ?? "the enclave library";
#pragma warning disable IL3000 // An empty Location is exactly the case handled here.
        string location = enclaveAssembly.Location;
#pragma warning restore IL3000
        if (!string.IsNullOrEmpty(location))
        {
            return location;
        }

        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new EnclaveImageException($"'{name}' was compiled with NativeAOT, so there is no enclave image to measure and verify. EnclaveGen refuses NativeAOT publishing of apps that host enclaves: publish without PublishAot.");
        }

        throw new EnclaveImageException($"'{name}' was loaded from memory or bundled into a single-file app, so its image cannot be re-measured. Publish with the EnclaveGen targets imported (they keep enclave libraries and their signature files out of the bundle, beside the executable), or load the enclave library from a file.");
    }
}
