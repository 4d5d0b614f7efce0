using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Reads the models format: <c>[Namespace.Type`1]</c> opens a type's section; each line under
/// it names a member (<c>Append(string)</c>, <c>Append(*)</c> for every overload, <c>Length</c>
/// for a property, <c>.ctor(*)</c>, <c>get_Item(*)</c>) and its effects separated by <c>;</c>.
/// <c>#</c> starts a comment. The format is documented in docs/diagnostics/taint-analysis.md.
/// </summary>
internal static class ModelParser
{
    private static readonly Regex s_member = new(@"^(?<name>[\w.`<>$]+)(\((?<params>[^)]*)\))?\s+(?<effects>.+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_path = new(@"^(?<root>Receiver|ReturnValue|Argument\[(?<index>\d+|\*|\d+\.\.)\])(\.(?<part>Content|Key|Shape|String))?$", RegexOptions.CultureInvariant);
    private static readonly Regex s_invoke = new(@"^invoke\s+(?<delegate>\S+)\((?<args>[^)]*)\)(\s*=>\s*(?<to>\S+))?$", RegexOptions.CultureInvariant);

    /// <summary>Parses a models text; lines that cannot be read are returned with the reason (none in the shipped file: a test checks).</summary>
    public static ImmutableArray<ModelEntry> Parse(SourceText text, string file, out ImmutableArray<(TextLine Line, string Problem)> invalid)
    {
        var entries = ImmutableArray.CreateBuilder<ModelEntry>();
        var problems = ImmutableArray.CreateBuilder<(TextLine, string)>();
        string? type = null;
        foreach (TextLine line in text.Lines)
        {
            string content = line.ToString();
            int comment = content.IndexOf('#');
            content = (comment >= 0 ? content.Substring(0, comment) : content).Trim();
            if (content.Length == 0)
            {
                continue;
            }

            if (content.StartsWith("[", StringComparison.Ordinal) && content.EndsWith("]", StringComparison.Ordinal))
            {
                type = content.Substring(1, content.Length - 2).Trim();
                continue;
            }

            if (type is null)
            {
                problems.Add((line, "a member line comes before any [Namespace.Type] section"));
                continue;
            }

            Match member = s_member.Match(content);
            if (!member.Success)
            {
                problems.Add((line, "expected 'Member(parameter types) effect; effect'"));
                continue;
            }

            ImmutableArray<string>? parameters = null;
            if (member.Groups["params"].Success && member.Groups["params"].Value.Trim() != "*")
            {
                string list = member.Groups["params"].Value.Trim();
                parameters = list.Length == 0 ? ImmutableArray<string>.Empty : SplitTopLevel(list).Select(p => p.Replace(" ", "")).ToImmutableArray();
            }

            var effects = ImmutableArray.CreateBuilder<ModelEffect>();
            string? problem = null;
            foreach (string part in member.Groups["effects"].Value.Split(';'))
            {
                if (part.Trim().Length == 0)
                {
                    continue;
                }

                if (ParseEffect(part.Trim(), out string? why) is { } effect)
                {
                    effects.Add(effect);
                }
                else
                {
                    problem = "cannot read the effect '" + part.Trim() + "': " + why;
                    break;
                }
            }

            if (problem is not null)
            {
                problems.Add((line, problem));
                continue;
            }

            entries.Add(new ModelEntry(type, member.Groups["name"].Value, parameters, effects.ToImmutable(), file, text.Lines.IndexOf(line.Start) + 1));
        }

        invalid = problems.ToImmutable();
        return entries.ToImmutable();
    }

    private static ModelEffect? ParseEffect(string text, out string? problem)
    {
        problem = null;
        string[] words = text.Split([' '], 3, StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "none":
                return words.Length == 1 ? new ModelEffect(EffectKind.None, null, null) : Fail("'none' takes nothing", out problem);
            case "kill":
                return words.Length == 2 && Path(words[1]) is { } killed ? new ModelEffect(EffectKind.Kill, null, killed) : Fail("expected 'kill Path'", out problem);
            case "index" or "compare":
                return words.Length == 2 && Path(words[1]) is { } read
                    ? new ModelEffect(words[0] == "index" ? EffectKind.Index : EffectKind.Compare, read, null)
                    : Fail("expected '" + words[0] + " Path'", out problem);
            case "source":
                return words.Length == 3 && LabelOf(words[1]) is { } sourceLabel && Path(words[2]) is { } target
                    ? new ModelEffect(EffectKind.Source, null, target, sourceLabel, words[1] == "host-time" ? "time" : null)
                    : Fail("expected 'source secret|host|host-time Path'", out problem);
            case "sink":
                return words.Length == 3 && words[1] is "log" or "exception" or "size" or "key" or "policy" && Path(words[2]) is { } sunk
                    ? new ModelEffect(EffectKind.Sink, sunk, null, words[1] is "log" or "exception" ? Label.Secret : Label.HostControlled, words[1])
                    : Fail("expected 'sink log|exception|size|key|policy Path'", out problem);
            case "bound":
                return words.Length >= 2 && Flow(text.Substring("bound".Length).Trim()) is { IsValue: false } bounded
                    ? new ModelEffect(EffectKind.Bound, bounded.From, bounded.To, Label.HostControlled)
                    : Fail("expected 'bound From -> To'", out problem);
            case "guard":
                return words.Length == 2 && Path(words[1]) is { Root: ModelRoot.Argument, Index: 0 } guarded
                    ? new ModelEffect(EffectKind.Guard, guarded, null, Label.HostControlled)
                    : Fail("expected 'guard Argument[0]'", out problem);
            case "verify":
                return words.Length == 3 && words[1] == "host" && Path(words[2]) is { } verified
                    ? new ModelEffect(EffectKind.Verify, verified, null, Label.HostControlled)
                    : Fail("expected 'verify host Path'", out problem);
            case "release" or "sanitize" or "tag":
                {
                    if (words.Length != 3 || LabelOf(words[1]) is not { } label || Flow(words[2]) is not { } flow)
                    {
                        return Fail("expected '" + words[0] + " secret|host From " + (words[0] == "release" ? "=>" : "->") + " To'", out problem);
                    }

                    EffectKind kind = words[0] switch { "release" => EffectKind.Release, "tag" => EffectKind.Tag, _ => EffectKind.Sanitize };
                    return new ModelEffect(kind, flow.From, flow.To, label);
                }

            case "invoke":
                {
                    Match invoke = s_invoke.Match(text);
                    if (!invoke.Success || Path(invoke.Groups["delegate"].Value) is not { } callee)
                    {
                        return Fail("expected 'invoke Argument[i](Path, ...) => Path'", out problem);
                    }

                    var arguments = ImmutableArray.CreateBuilder<ModelPath>();
                    foreach (string argument in invoke.Groups["args"].Value.Split([','], StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (Path(argument.Trim()) is not { } path)
                        {
                            return Fail("'" + argument.Trim() + "' is not a path", out problem);
                        }

                        arguments.Add(path);
                    }

                    ModelPath? to = invoke.Groups["to"].Success ? Path(invoke.Groups["to"].Value) : null;
                    if (invoke.Groups["to"].Success && to is null)
                    {
                        return Fail("'" + invoke.Groups["to"].Value + "' is not a path", out problem);
                    }

                    return new ModelEffect(EffectKind.Invoke, callee, to, InvokeArguments: arguments.ToImmutable());
                }

            default:
                return Flow(text) is { } plain
                    ? new ModelEffect(plain.IsValue ? EffectKind.Value : EffectKind.Taint, plain.From, plain.To)
                    : Fail("expected 'From -> To', 'From => To' or a keyword (kill, source, sink, release, sanitize, tag, bound, guard, verify, index, compare, invoke, none)", out problem);
        }
    }

    private static (ModelPath From, ModelPath To, bool IsValue)? Flow(string text)
    {
        bool isValue = text.Contains("=>");
        string[] sides = text.Split([isValue ? "=>" : "->"], StringSplitOptions.None);
        return sides.Length == 2 && Path(sides[0].Trim()) is { } from && Path(sides[1].Trim()) is { } to && to.Part != ModelPart.String
            ? (from, to, isValue)
            : null;
    }

    private static ModelPath? Path(string text)
    {
        Match match = s_path.Match(text);
        if (!match.Success)
        {
            return null;
        }

        string root = match.Groups["root"].Value;
        string index = match.Groups["index"].Value;
        ModelPart part = match.Groups["part"].Success ? (ModelPart)Enum.Parse(typeof(ModelPart), match.Groups["part"].Value) : ModelPart.Whole;
        return root switch
        {
            "Receiver" => new ModelPath(ModelRoot.Receiver, 0, part),
            "ReturnValue" => new ModelPath(ModelRoot.ReturnValue, 0, part),
            _ when index == "*" => new ModelPath(ModelRoot.ArgumentsFrom, 0, part),
            _ when index.EndsWith("..", StringComparison.Ordinal) => new ModelPath(ModelRoot.ArgumentsFrom, int.Parse(index.TrimEnd('.'), System.Globalization.CultureInfo.InvariantCulture), part),
            _ => new ModelPath(ModelRoot.Argument, int.Parse(index, System.Globalization.CultureInfo.InvariantCulture), part),
        };
    }

    private static Label? LabelOf(string word) => word switch
    {
        "secret" => Label.Secret,
        "host" or "host-time" => Label.HostControlled,
        _ => null,
    };

    private static ModelEffect? Fail(string why, out string? problem)
    {
        problem = why;
        return null;
    }

    // "Dictionary<string, int>, int" splits at the comma outside the angle brackets only.
    private static IEnumerable<string> SplitTopLevel(string list)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            depth += list[i] switch { '<' or '[' or '(' => 1, '>' or ']' or ')' => -1, _ => 0 };
            if (list[i] == ',' && depth == 0)
            {
                yield return list.Substring(start, i - start).Trim();
                start = i + 1;
            }
        }

        yield return list.Substring(start).Trim();
    }
}
