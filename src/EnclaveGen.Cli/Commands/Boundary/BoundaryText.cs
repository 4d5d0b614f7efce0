namespace EnclaveGen.Cli.Commands.Boundary;

/// <summary>The boundary as text in the shape of Intel's EDL: trusted and untrusted blocks, one line per crossing.</summary>
internal static class BoundaryText
{
    public static void Write(TextWriter output, BoundaryManifest enclave)
    {
        output.WriteLine($"enclave {enclave.Enclave}{(enclave.Debug ? " (DEBUG)" : string.Empty)}, {enclave.MaxThreads} thread slot{(enclave.MaxThreads == 1 ? string.Empty : "s")}, heap limit {(enclave.HeapLimitBytes == 0 ? "none" : $"{enclave.HeapLimitBytes} bytes")}");
        output.WriteLine("{");
        Block(output, "trusted", "ECALLs: the host calls in", enclave.Ecalls, ecall => ecall.AllowedDuring is { Count: > 0 } during ? $" allow during ({string.Join(", ", during)})" : string.Empty);
        output.WriteLine();
        Block(output, "untrusted", "OCALLs: the enclave calls out", enclave.Ocalls, ocall => ocall.Allows is { Count: > 0 } allows ? $" allow ({string.Join(", ", allows)})" : string.Empty);
        output.WriteLine("};");
    }

    private static void Block(TextWriter output, string name, string meaning, IReadOnlyList<Crossing> crossings, Func<Crossing, string> allowList)
    {
        output.WriteLine($"    {name} {{  // {meaning}");
        foreach (Crossing crossing in crossings)
        {
            string result = crossing.Returns is null ? "void" : $"{(crossing.Returns.Secret ? "[secret] " : string.Empty)}{crossing.Returns.Type}";
            string parameters = string.Join(", ", crossing.Parameters.Select(Parameter));
            output.WriteLine($"        {(crossing.Private ? "private " : "public ")}{result} {crossing.Name}({parameters}){allowList(crossing)};  // id {crossing.Id}");
        }

        output.WriteLine("    };");
    }

    private static string Parameter(CrossingParameter parameter)
    {
        List<string> marks = [Direction(parameter.Direction)];
        if (parameter.UserCheck)
        {
            marks.Add("user_check");
        }

        if (parameter.Secret)
        {
            marks.Add("secret");
        }

        return $"[{string.Join(", ", marks)}] {parameter.Type} {parameter.Name}";
    }

    /// <summary>EDL's spelling of a direction.</summary>
    public static string Direction(string direction) => direction switch
    {
        "in_out" => "in, out",
        "out_sized_by_caller" => "out, size from caller",
        "not_marshalled" => "not marshalled",
        _ => direction,
    };
}
