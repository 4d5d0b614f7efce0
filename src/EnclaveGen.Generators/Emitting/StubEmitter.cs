using EnclaveGen.Generators.Marshalling;
using EnclaveGen.Generators.Model;
using EnclaveGen.Generators.Planning;

namespace EnclaveGen.Generators.Emitting;

/// <summary>
/// The two halves of every crossing. The caller's stub (a proxy method, or an OCALL stub) writes
/// what goes in, crosses, and reads what comes back. The callee's stub (in a dispatcher) reads
/// every input, confirms the message ended, calls the real method, and writes what goes back.
/// </summary>
internal static class StubEmitter
{
    /// <summary>
    /// The calling side: write inputs, invoke, read outputs. <paramref name="modifiers"/> include
    /// <c>async</c> where needed. With <paramref name="reportsFailures"/> (the host's ECALLs, which
    /// have a span), an exception from anywhere in the stub, reading the results included, is
    /// shown to the scope by an exception filter that lets it pass untouched.
    /// </summary>
    public static void EmitCaller(SourceWriter w, CrossingPlan plan, string modifiers, string begin, string scopeType, bool reportsFailures, MarshalContext context)
    {
        MethodModel method = plan.Method;
        LocalNames locals = plan.Locals;
        w.Open(modifiers + Signatures.Of(method, declaration: modifiers.StartsWith("public", StringComparison.Ordinal)));
        foreach (ParameterModel parameter in method.Parameters)
        {
            if ((parameter.CopiedIn || parameter.SendsLengthOnly) && parameter.Type.NeedsNullCheck && parameter.Direction != ParameterDirection.Out)
            {
                w.Line($"{Names.ArgumentNullException}.ThrowIfNull({parameter.Name});");
            }
        }

        w.Line($"{scopeType} {locals.Call} = {begin};");
        w.Open("try");
        w.Line($"{Names.WireWriter} {locals.Arguments} = {locals.Call}.Arguments;");
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (parameter.SendsLengthOnly)
            {
                w.Line(MarshalContext.Buffer(parameter.Type).WriteLength(parameter.Type, locals.Arguments, parameter.Name));
            }
            else if (parameter.IsUserCheck)
            {
                w.Line($"{locals.Arguments}.WriteShared<{parameter.Type.Element!.Display}>({parameter.Name});");
            }
            else if (parameter.CopiedIn)
            {
                w.Line(context.Write(parameter.Type, locals.Arguments, parameter.Name));
            }
        }

        string invoke = method.IsAsync ? $"await {locals.Call}.InvokeAsync().ConfigureAwait(false)" : $"{locals.Call}.Invoke()";
        w.Line($"{Names.WireReader} {locals.Results} = {invoke};");
        if (method.Result is { } result)
        {
            w.Line($"{result.Display} {locals.ReturnValue} = {context.Read(result, locals.Results)};");
        }

        foreach (ParameterModel parameter in method.Parameters.Where(p => p.CopiedOut))
        {
            w.Line(parameter.Buffer == BufferDirection.None
                ? $"{parameter.Name} = {context.Read(parameter.Type, locals.Results)};"
                : MarshalContext.Buffer(parameter.Type).ReadBack(parameter.Type, locals.Results, parameter.Name, context));
        }

        w.Line($"{locals.Results}.EnsureEnd();");
        if (method.Result is not null)
        {
            w.Line($"return {locals.ReturnValue};");
        }

        w.Close();
        if (reportsFailures)
        {
            w.Open($"catch ({Names.Exception} {locals.Failure}) when ({locals.Call}.Failed({locals.Failure}))");
            w.Line("throw;");
            w.Close();
        }

        w.Open("finally");
        w.Line($"{locals.Call}.Dispose();");
        w.Close();
        w.Close();
    }

    /// <summary>The receiving side: read inputs, confirm the end, call, write outputs.</summary>
    public static void EmitCallee(SourceWriter w, CrossingPlan plan, string target, MarshalContext context)
    {
        MethodModel method = plan.Method;
        LocalNames locals = plan.Locals;
        string returnType = method.IsAsync ? "async global::System.Threading.Tasks.ValueTask" : "void";
        w.Open($"private {returnType} {method.MemberName}({Names.WireReader} {locals.Arguments}, {Names.WireWriter} {locals.Results})");
        foreach (ParameterModel parameter in method.Parameters.Where(p => !p.IsCancellationToken))
        {
            w.Line(DeclareParameter(parameter, locals.Arguments, context));
        }

        w.Line($"{locals.Arguments}.EnsureEnd();");
        string arguments = string.Join(", ", method.Parameters.Select(parameter =>
            parameter.IsCancellationToken ? $"{locals.Arguments}.CancellationToken" : parameter.Modifier + parameter.Name));
        string call = $"{target}.{method.Name}({arguments})";
        if (method.IsAsync)
        {
            call = $"await {call}.ConfigureAwait(false)";
        }

        w.Line(method.Result is { } result ? $"{result.Display} {locals.ReturnValue} = {call};" : call + ";");
        if (method.Result is { } written)
        {
            w.Line(context.Write(written, locals.Results, locals.ReturnValue));
        }

        foreach (ParameterModel parameter in method.Parameters.Where(p => p.CopiedOut))
        {
            w.Line(WriteBack(parameter, locals.Results, context));
        }

        w.Close();
    }

    private static string DeclareParameter(ParameterModel parameter, string reader, MarshalContext context)
    {
        TypeModel type = parameter.Type;
        string name = parameter.Name;
        if (parameter.Direction == ParameterDirection.Out)
        {
            return $"{type.Display} {name};";
        }

        if (parameter.IsUserCheck)
        {
            return $"{type.Display} {name} = {reader}.Read{(type.AllowsNull ? string.Empty : "Required")}Shared<{type.Element!.Display}>();";
        }

        return parameter.Buffer == BufferDirection.Out
            ? $"{type.Display} {name} = {MarshalContext.Buffer(type).CreateForOut(type, reader)};"
            : $"{type.Display} {name} = {context.Read(type, reader)};";
    }

    private static string WriteBack(ParameterModel parameter, string writer, MarshalContext context) => parameter.Buffer == BufferDirection.None
        ? context.Write(parameter.Type, writer, parameter.Name)
        : MarshalContext.Buffer(parameter.Type).WriteBack(parameter.Type, writer, parameter.Name, context);
}
