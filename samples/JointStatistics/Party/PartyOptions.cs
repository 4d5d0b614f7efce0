namespace JointStatistics.Parties;

/// <summary>What a party process is told on its command line (<c>JointStatistics party ...</c>).</summary>
/// <param name="Name">The party's name (letters and digits).</param>
/// <param name="Host">The host's base address.</param>
/// <param name="TrustRoot">The root certificate (DER or PEM) the party trusts for emulated evidence, received out of band.</param>
/// <param name="DataFile">The party's own values, one integer a line (<c>#</c> starts a comment line).</param>
/// <param name="EnclaveLibrary">The party's own copy of the enclave library, measured for the expected MRENCLAVE.</param>
/// <param name="AllowEmulated">Accept evidence from an emulated platform (the policy refuses it otherwise).</param>
/// <param name="AllowDebug">Accept a DEBUG enclave (the policy refuses it otherwise).</param>
public sealed record PartyOptions(string Name, Uri Host, string TrustRoot, string DataFile, string EnclaveLibrary, bool AllowEmulated, bool AllowDebug)
{
    /// <summary>The usage line.</summary>
    public const string Usage = "JointStatistics party --name NAME --host URL --trust-root FILE --data FILE [--enclave-library FILE] [--allow-emulated] [--allow-debug]";

    /// <summary>The enclave class whose MRENCLAVE the party expects.</summary>
    public const string EnclaveTypeName = "JointStatistics.StatisticsEnclave";

    /// <summary>Reads the arguments after <c>party</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or a required one is missing.</exception>
    public static PartyOptions Parse(IReadOnlyList<string> args)
    {
        Dictionary<string, string> values = new(StringComparer.Ordinal);
        HashSet<string> flags = new(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--allow-emulated" or "--allow-debug":
                    flags.Add(args[i]);
                    break;
                case "--name" or "--host" or "--trust-root" or "--data" or "--enclave-library":
                    values[args[i]] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}");
            }
        }

        string Required(string option) => values.TryGetValue(option, out string? value) ? value : throw new ArgumentException($"{option} is required. Usage: {Usage}");

        if (!Uri.TryCreate(Required("--host"), UriKind.Absolute, out Uri? host) || host.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--host must be an http(s) address; got '{values["--host"]}'.");
        }

        return new PartyOptions(
            Required("--name"),
            host,
            Required("--trust-root"),
            Required("--data"),
            values.GetValueOrDefault("--enclave-library") ?? Path.Combine(AppContext.BaseDirectory, "JointStatistics.Enclave.dll"),
            flags.Contains("--allow-emulated"),
            flags.Contains("--allow-debug"));
    }
}
