using System.Globalization;
using EnclaveGen.Generators.Model;
using EnclaveGen.Generators.Planning;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Emitting;

/// <summary>
/// Writes the enclave's second shape, a trusted application (GlobalPlatform TEE Client API style):
/// its UUID and command IDs, and a command table that maps each command ID to the proxy's ECALL
/// stub, so a <c>TeeSession</c> and a <c>Proxy</c> run the same generated crossings. A command's
/// parameters are the ECALL's (a CancellationToken excepted) followed by its result, if any.
/// </summary>
internal static class TrustedApplicationEmitter
{
    private const string TeeOperation = "global::EnclaveGen.TeeOperation";
    private const string TeeParameterKind = "global::EnclaveGen.TeeParameterKind";
    private const string CommandTableInterface = Names.Support + ".ITeeCommandTable";

    /// <summary>The public <c>TrustedApplication</c> class: UUID and command IDs.</summary>
    public static void EmitPublicShape(SourceWriter w, EnclavePlan plan)
    {
        EnclaveModel enclave = plan.Enclave;
        w.Line($"/// <summary><see cref=\"{enclave.ClassName}\"/> as a trusted application: open it with <c>global::EnclaveGen.TeeContext.OpenSession(Uuid)</c> and invoke its <see cref=\"Commands\"/>.</summary>");
        w.Open("public static class TrustedApplication");
        w.Line("/// <summary>The UUID that addresses this trusted application.</summary>");
        w.Line($"public static readonly global::System.Guid Uuid = new global::System.Guid(\"{enclave.TrustedApplicationUuid}\");");
        w.Line();
        w.Line("/// <summary>Command IDs, one per [Trusted] method: its method ID.</summary>");
        w.Open("public static class Commands");
        foreach (CrossingPlan ecall in plan.Ecalls)
        {
            w.Line($"/// <summary>Runs <c>{ecall.Method.Name.TrimStart('@')}</c>: {Describe(ecall.Method)}.</summary>");
            w.Line($"public const uint {ecall.Method.MemberName} = {Names.MethodIds}.{ecall.Method.MemberName};");
        }

        w.Close();
        w.Close();
    }

    /// <summary>The statement that registers the trusted application, for the module initializer.</summary>
    public static string Registration(EnclavePlan plan)
    {
        EnclaveModel enclave = plan.Enclave;
        string host = plan.Ocalls.Length == 0 ? $"new {Names.UntrustedDispatcher}.NoHost()" : "(IUntrusted)host!";
        string untrusted = plan.Ocalls.Length == 0 ? "null" : "typeof(IUntrusted)";
        return $"{Names.Support}.TrustedApplicationRegistry.Register(new {Names.Support}.TrustedApplicationDescriptor(TrustedApplication.Uuid, \"{enclave.MetadataName}\", typeof({enclave.ClassName}).Assembly, {untrusted}, "
            + $"static async (host, options, cancellationToken) => new {Names.CommandTable}(await CreateEnclaveAsync({host}, options, cancellationToken).ConfigureAwait(false))));";
    }

    /// <summary>The private command table: command ID to the proxy's stub.</summary>
    public static void EmitCommandTable(SourceWriter w, EnclavePlan plan)
    {
        w.Line("/// <summary>The trusted application's commands: each reads its parameters from the operation, calls the proxy's ECALL stub, and writes the outputs back.</summary>");
        w.Open($"private sealed class {Names.CommandTable} : {CommandTableInterface}");
        w.Line("private readonly Proxy _proxy;");
        w.Line();
        w.Open($"public {Names.CommandTable}(Proxy proxy)");
        w.Line("_proxy = proxy;");
        w.Close();
        w.Line();
        w.Line("public global::EnclaveGen.EnclaveIdentity Identity => _proxy.Identity;");
        w.Line();
        w.Line($"public {Names.ValueTask} DisposeAsync() => _proxy.DisposeAsync();");
        w.Line();
        w.Open($"public {Names.ValueTask} InvokeAsync(uint commandId, {TeeOperation} operation, {Names.CancellationToken} cancellationToken)");
        w.Open("switch (commandId)");
        foreach (CrossingPlan ecall in plan.Ecalls)
        {
            MethodModel method = ecall.Method;
            w.Line($"case {Names.MethodIds}.{method.MemberName}:");
            w.Line(method.IsAsync
                ? $"    return Command{method.MemberName}(operation, cancellationToken);"
                : $"    Command{method.MemberName}(operation, cancellationToken);\n    return default;");
        }

        w.Line("default:");
        w.Line($"    throw {Names.Support}.TeeCommandErrors.UnknownCommand(commandId, \"{plan.Enclave.MetadataName}\");");
        w.Close();
        w.Close();

        foreach (CrossingPlan ecall in plan.Ecalls)
        {
            w.Line();
            EmitCommand(w, ecall.Method);
        }

        w.Close();
    }

    private static void EmitCommand(SourceWriter w, MethodModel method)
    {
        string name = method.Name.TrimStart('@');
        List<ParameterModel> values = method.Parameters.Where(p => !p.IsCancellationToken).ToList();
        int count = values.Count + (method.Result is null ? 0 : 1);
        w.Open(method.IsAsync
            ? $"private async {Names.ValueTask} Command{method.MemberName}({TeeOperation} operation, {Names.CancellationToken} cancellationToken)"
            : $"private void Command{method.MemberName}({TeeOperation} operation, {Names.CancellationToken} cancellationToken)");
        w.Line($"operation.ExpectCount(\"{name}\", {count});");

        // Every parameter is checked before the enclave is entered, so a bad operation changes nothing.
        for (int i = 0; i < values.Count; i++)
        {
            ParameterModel parameter = values[i];
            string label = parameter.Name.TrimStart('@');
            if (parameter.Direction == ParameterDirection.Out)
            {
                w.Line($"operation.ExpectOutput(\"{name}\", {i}, \"{label}\");");
                continue;
            }

            (string type, bool allowsNull) = OperationType(parameter.Type);
            w.Line($"{type} arg{i} = operation.Read<{type}>(\"{name}\", {i}, \"{label}\", {TeeParameterKind}.{Kind(parameter)}, allowsNull: {(allowsNull ? "true" : "false")});");
        }

        if (method.Result is not null)
        {
            w.Line($"operation.ExpectOutput(\"{name}\", {values.Count}, \"result\");");
        }

        IEnumerable<string> arguments = method.Parameters.Select(parameter =>
        {
            if (parameter.IsCancellationToken)
            {
                return "cancellationToken";
            }

            int index = values.IndexOf(parameter);
            return parameter.Direction == ParameterDirection.Out
                ? $"out {parameter.Type.Display} arg{index}"
                : parameter.Modifier + "arg" + index.ToString(CultureInfo.InvariantCulture);
        });
        string call = $"_proxy.{method.Name}({string.Join(", ", arguments)})";
        if (method.IsAsync)
        {
            call = $"await {call}.ConfigureAwait(false)";
        }

        w.Line(method.Result is null ? call + ";" : $"var result = {call};");
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i].Direction is ParameterDirection.Out or ParameterDirection.Ref)
            {
                w.Line($"operation.Write({i}, arg{i});");
            }
        }

        if (method.Result is not null)
        {
            w.Line($"operation.Write({values.Count}, result);");
        }

        w.Close();
    }

    /// <summary>The type a parameter holds in the operation: the ECALL's own, or an array for a span or Memory (a memory reference).</summary>
    private static (string Type, bool AllowsNull) OperationType(TypeModel type) => type.Kind switch
    {
        MarshalKind.Span or MarshalKind.ReadOnlySpan or MarshalKind.Memory or MarshalKind.ReadOnlyMemory when type.Element is { } element => (element.Display + "[]", false),
        _ => (type.Display, type.AllowsNull),
    };

    private static string Kind(ParameterModel parameter) =>
        parameter.Direction == ParameterDirection.Ref || parameter.Buffer == BufferDirection.InOut ? "InOut"
        : parameter.Direction == ParameterDirection.Out || parameter.Buffer == BufferDirection.Out ? "Output"
        : "Input";

    private static string Describe(MethodModel method)
    {
        IEnumerable<string> parameters = method.Parameters.Where(p => !p.IsCancellationToken).Select((p, i) => $"[{i}] {Kind(p) switch { "InOut" => "in/out", "Output" => "out", _ => "in" }} {p.Name.TrimStart('@')}");
        string list = string.Join(", ", parameters);
        int resultIndex = method.Parameters.Count(p => !p.IsCancellationToken);
        return method.Result is null
            ? (list.Length == 0 ? "no parameters" : $"parameters {list}")
            : (list.Length == 0 ? $"parameter [{resultIndex}] out result" : $"parameters {list}, [{resultIndex}] out result");
    }
}
