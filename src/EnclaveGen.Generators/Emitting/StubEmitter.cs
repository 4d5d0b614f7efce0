using EnclaveGen.Generators.Marshalling;
using EnclaveGen.Generators.Model;
using EnclaveGen.Generators.Planning;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Emitting;

/// <summary>
/// The two halves of every crossing. The caller's stub (a proxy method, or an OCALL stub) writes
/// what goes in, crosses, and reads what comes back. The callee's stub (in a dispatcher) reads
/// every input, confirms the message ended, calls the real method, and writes what goes back.
/// </summary>
internal static class StubEmitter
{
    /// <summary>The calling side: write inputs, invoke, read outputs. <paramref name="modifiers"/> include <c>async</c> where needed.</summary>
    public static void EmitCaller(SourceWriter w, CrossingPlan plan, string modifiers, string begin, string scopeType, MarshalContext context)
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
                string length = parameter.Type.Kind == MarshalKind.Array && parameter.Type.AllowsNull
                    ? $"{parameter.Name}?.Length ?? -1"
                    : $"{parameter.Name}.Length";
                w.Line($"{locals.Arguments}.WriteCount({length});");
            }
            else if (parameter.IsUserCheck)
            {
                w.Line($"{locals.Arguments}.WriteShared<{parameter.Type.Element!.Display}>({parameter.Name});");
            }
            else if (parameter.CopiedIn)
            {
                w.Line(WriteParameter(parameter, locals.Arguments, context));
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
                : ReadBufferBack(parameter, locals.Results, context));
        }

        w.Line($"{locals.Results}.EnsureEnd();");
        if (method.Result is not null)
        {
            w.Line($"return {locals.ReturnValue};");
        }

        w.Close();
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

    private static string WriteParameter(ParameterModel parameter, string writer, MarshalContext context)
    {
        TypeModel type = parameter.Type;
        TypeModel? element = type.Element;
        return type.Kind switch
        {
            MarshalKind.Span or MarshalKind.ReadOnlySpan when element!.IsBulk => $"{writer}.WriteSpan<{element.Display}>({parameter.Name});",
            MarshalKind.Span or MarshalKind.ReadOnlySpan => context.WriteCall(SpanAsMemory(type), writer, parameter.Name),
            _ => context.Write(type, writer, parameter.Name),
        };
    }

    /// <summary>Non-bulk spans cross through the ReadOnlyMemory helper, which takes the span's elements one by one.</summary>
    private static TypeModel SpanAsMemory(TypeModel span) => span with
    {
        Kind = MarshalKind.ReadOnlyMemory,
        Display = $"global::System.ReadOnlyMemory<{span.Element!.Display}>",
    };

    private static string DeclareParameter(ParameterModel parameter, string reader, MarshalContext context)
    {
        TypeModel type = parameter.Type;
        TypeModel? element = type.Element;
        string name = parameter.Name;
        if (parameter.Direction == ParameterDirection.Out)
        {
            return $"{type.Display} {name};";
        }

        if (parameter.IsUserCheck)
        {
            return $"{type.Display} {name} = {reader}.Read{(type.AllowsNull ? string.Empty : "Required")}Shared<{element!.Display}>();";
        }

        if (parameter.Buffer == BufferDirection.Out)
        {
            return type.Kind switch
            {
                MarshalKind.Span => $"{type.Display} {name} = {reader}.Scratch<{element!.Display}>({reader}.ReadOutLength({element.MinBytes}));",
                MarshalKind.Memory => $"{type.Display} {name} = {Names.BoundaryArrays}.Create<{element!.Display}>({reader}.ReadOutLength({element.MinBytes}));",
                _ => $"{type.Display} {name} = {Names.BoundaryArrays}.CreateForOut<{element!.Display}>({reader}.ReadOutLength({element.MinBytes}), allowNull: {(type.AllowsNull ? "true" : "false")});",
            };
        }

        return type.Kind switch
        {
            MarshalKind.ReadOnlySpan when element!.IsBulk => $"{type.Display} {name} = {reader}.ReadSpan<{element.Display}>();",
            MarshalKind.Span when element!.IsBulk => $"{type.Display} {name} = {reader}.ReadWritableSpan<{element.Display}>();",
            MarshalKind.Span or MarshalKind.ReadOnlySpan => $"{type.Display} {name} = {context.Read(MarshalContext.ArrayOf(element!, allowsNull: false), reader)};",
            _ => $"{type.Display} {name} = {context.Read(type, reader)};",
        };
    }

    private static string WriteBack(ParameterModel parameter, string writer, MarshalContext context)
    {
        TypeModel type = parameter.Type;
        return type.Kind switch
        {
            MarshalKind.Span => $"{writer}.WriteSpan<{type.Element!.Display}>({parameter.Name});",
            MarshalKind.Memory when parameter.Buffer != BufferDirection.None => $"{writer}.WriteSpan<{type.Element!.Display}>({parameter.Name}.Span);",
            _ => context.Write(type, writer, parameter.Name),
        };
    }

    private static string ReadBufferBack(ParameterModel parameter, string reader, MarshalContext context)
    {
        TypeModel type = parameter.Type;
        return type.Kind switch
        {
            MarshalKind.Span => $"{reader}.ReadSpanInto<{type.Element!.Display}>({parameter.Name});",
            MarshalKind.Memory => $"{reader}.ReadSpanInto<{type.Element!.Display}>({parameter.Name}.Span);",
            _ => ArrayMarshaller.ReadInto(type, reader, parameter.Name, context),
        };
    }
}
