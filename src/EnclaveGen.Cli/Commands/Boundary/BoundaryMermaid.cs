using System.Text;

namespace EnclaveGen.Cli.Commands.Boundary;

/// <summary>
/// The boundary as a Mermaid flowchart (GitHub renders <c>```mermaid</c> blocks): the host and each
/// enclave as a box, a node per ECALL inside the enclave and per OCALL implementation in the host,
/// and one arrow per crossing labelled with what crosses. Arrows that carry a [Secret] are red;
/// user_check arrows (the callee gets the caller's memory) are dashed; EDL <c>allow</c> is a dotted
/// arrow from the OCALL to the private ECALL the host may call while serving it.
/// </summary>
internal static class BoundaryMermaid
{
    public static string Render(IReadOnlyList<BoundaryManifest> enclaves)
    {
        StringBuilder chart = new();
        List<string> edges = [];
        List<string> edgeStyles = [];
        chart.AppendLine("flowchart LR");
        chart.AppendLine("    subgraph host[\"Host (untrusted)\"]");
        for (int e = 0; e < enclaves.Count; e++)
        {
            BoundaryManifest enclave = enclaves[e];
            chart.AppendLine($"        e{e}_proxy[\"{Escape(ShortName(enclave.Enclave))}.Proxy\"]");
            for (int o = 0; o < enclave.Ocalls.Count; o++)
            {
                chart.AppendLine($"        e{e}_o{o}[\"{Escape(enclave.Ocalls[o].Name)}<br/>{Escape(ShortName(enclave.Enclave))}.IUntrusted\"]");
            }
        }

        chart.AppendLine("    end");
        for (int e = 0; e < enclaves.Count; e++)
        {
            BoundaryManifest enclave = enclaves[e];
            chart.AppendLine($"    subgraph e{e}[\"Enclave {Escape(enclave.Enclave)}{(enclave.Debug ? " (DEBUG)" : string.Empty)}\"]");
            for (int t = 0; t < enclave.Ecalls.Count; t++)
            {
                Crossing ecall = enclave.Ecalls[t];
                chart.AppendLine($"        e{e}_t{t}[\"{(ecall.Private ? "private " : string.Empty)}{Escape(ecall.Name)}\"]");
            }

            chart.AppendLine("    end");
            for (int t = 0; t < enclave.Ecalls.Count; t++)
            {
                Crossing ecall = enclave.Ecalls[t];
                Edge(edges, edgeStyles, $"e{e}_proxy", $"e{e}_t{t}", "ECALL", ecall);
            }

            for (int o = 0; o < enclave.Ocalls.Count; o++)
            {
                Crossing ocall = enclave.Ocalls[o];
                Edge(edges, edgeStyles, $"e{e}", $"e{e}_o{o}", "OCALL", ocall);
                foreach (string allowed in ocall.Allows ?? [])
                {
                    int target = IndexOf(enclave.Ecalls, allowed);
                    if (target >= 0)
                    {
                        edges.Add($"    e{e}_o{o} -.->|\"allow: may call {Escape(allowed)}\"| e{e}_t{target}");
                    }
                }
            }
        }

        foreach (string edge in edges)
        {
            chart.AppendLine(edge);
        }

        foreach (string style in edgeStyles)
        {
            chart.AppendLine(style);
        }

        return chart.ToString();
    }

    private static void Edge(List<string> edges, List<string> styles, string from, string to, string kind, Crossing crossing)
    {
        bool userCheck = crossing.Parameters.Any(p => p.UserCheck);
        bool secret = crossing.Returns?.Secret == true || crossing.Parameters.Any(p => p.Secret);
        string arrow = userCheck ? "-.->" : "-->";
        edges.Add($"    {from} {arrow}|\"{kind} {Escape(Label(crossing))}\"| {to}");
        int index = edges.Count - 1;
        if (secret || userCheck)
        {
            styles.Add($"    linkStyle {index} {(secret ? "stroke:#d62728,stroke-width:2px" : "stroke-width:2px")}{(userCheck ? ",stroke-dasharray:4 3" : string.Empty)}");
        }
    }

    /// <summary>What crosses: each marshalled parameter with its direction and marks, then the result.</summary>
    private static string Label(Crossing crossing)
    {
        IEnumerable<string> parameters = crossing.Parameters
            .Where(p => p.Direction != "not_marshalled")
            .Select(p => $"{ShortDirection(p.Direction)}{(p.UserCheck ? " user_check" : string.Empty)}{(p.Secret ? " SECRET" : string.Empty)} {p.Name}: {p.Type}");
        string result = crossing.Returns is null ? string.Empty : $" → {(crossing.Returns.Secret ? "SECRET " : string.Empty)}{crossing.Returns.Type}";
        string during = crossing.AllowedDuring is { Count: > 0 } allowed ? $" only during {string.Join(", ", allowed)}" : string.Empty;
        return $"{crossing.Name}({string.Join(", ", parameters)}){result}{during}";
    }

    private static string ShortDirection(string direction) => direction switch
    {
        "in_out" => "in/out",
        "out_sized_by_caller" => "out (caller sizes)",
        _ => direction,
    };

    private static int IndexOf(IReadOnlyList<Crossing> crossings, string name)
    {
        for (int i = 0; i < crossings.Count; i++)
        {
            if (crossings[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string ShortName(string fullName) => fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];

    /// <summary>Mermaid entity codes for what would end a label or read as HTML.</summary>
    internal static string Escape(string text) => text
        .Replace("#", "#35;", StringComparison.Ordinal)
        .Replace("\"", "#quot;", StringComparison.Ordinal)
        .Replace("<", "#lt;", StringComparison.Ordinal)
        .Replace(">", "#gt;", StringComparison.Ordinal)
        .Replace("|", "#124;", StringComparison.Ordinal);
}
