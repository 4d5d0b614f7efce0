using System.Collections.Immutable;
using EnclaveGen.Shared;
using EnclaveGen.Shared.Marshalling;
using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers;

/// <summary>
/// EG2003: a [Trusted] method writes into an array, Span or Memory parameter that is copied in
/// only. As in P/Invoke, without [Out] or [In, Out] the writes stay in the enclave's copy and the
/// caller never sees them, which is almost always a bug.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingOutDirectionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.MissingOutDirection);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockStartAction(start =>
        {
            if (start.OwningSymbol is not IMethodSymbol method
                || method.ContainingType is not { } type
                || !EnclaveInspector.IsEnclave(type)
                || EnclaveInspector.BoundaryKindOf(method) != BoundaryKind.Trusted)
            {
                return;
            }

            ImmutableHashSet<IParameterSymbol> buffers = method.Parameters
                .Where(p => p.RefKind == RefKind.None && !BufferDirections.HasOut(p) && !EnclaveInspector.HasUserCheck(p) && IsWritableBuffer(p.Type))
                .ToImmutableHashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            if (buffers.IsEmpty)
            {
                return;
            }

            HashSet<IParameterSymbol> reported = new(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(
                operation =>
                {
                    if (WrittenParameter(operation.Operation) is { } parameter && buffers.Contains(parameter))
                    {
                        lock (reported)
                        {
                            if (!reported.Add(parameter))
                            {
                                return;
                            }
                        }

                        operation.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.MissingOutDirection,
                            parameter.Locations.FirstOrDefault() ?? operation.Operation.Syntax.GetLocation(),
                            [operation.Operation.Syntax.GetLocation()],
                            method.Name,
                            parameter.Name));
                    }
                },
                OperationKind.SimpleAssignment,
                OperationKind.CompoundAssignment,
                OperationKind.Increment,
                OperationKind.Decrement,
                OperationKind.Invocation);
        });
    }

    private static bool IsWritableBuffer(ITypeSymbol type) => TypeStructure.KindOf(type) is MarshalKind.Array or MarshalKind.Span or MarshalKind.Memory;

    /// <summary>The buffer parameter an operation writes into, if any.</summary>
    private static IParameterSymbol? WrittenParameter(IOperation operation) => operation switch
    {
        IAssignmentOperation assignment => ElementOf(assignment.Target),
        IIncrementOrDecrementOperation step => ElementOf(step.Target),
        IInvocationOperation invocation => Mutated(invocation),
        _ => null,
    };

    /// <summary><c>p[i]</c> on an array or a span parameter.</summary>
    private static IParameterSymbol? ElementOf(IOperation target) => target switch
    {
        IArrayElementReferenceOperation element => Parameter(element.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true } indexer => Parameter(indexer.Instance),
        _ => null,
    };

    /// <summary>
    /// A call that writes into a buffer: Fill or Clear on a span, or the buffer handed to a
    /// parameter of type Span&lt;T&gt; (writable by definition) or to an array-mutating framework method.
    /// </summary>
    private static IParameterSymbol? Mutated(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (invocation.Instance is { } instance && target.Name is "Fill" or "Clear" && Parameter(instance) is { } receiver)
        {
            return receiver;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || Parameter(argument.Value) is not { } passed)
            {
                continue;
            }

            bool writableSpan = TypeStructure.KindOf(parameter.Type) == MarshalKind.Span;
            bool mutatingArrayMethod = parameter.Type is IArrayTypeSymbol && IsArrayMutator(target, parameter);
            if (writableSpan || mutatingArrayMethod)
            {
                return passed;
            }
        }

        return null;
    }

    private static bool IsArrayMutator(IMethodSymbol method, IParameterSymbol parameter)
    {
        string? type = method.ContainingType?.ToDisplayString();
        return (type, method.Name) switch
        {
            ("System.Array", "Clear" or "Fill" or "Reverse" or "Sort" or "Resize") => parameter.Ordinal == 0,
            ("System.Array", "Copy" or "ConstrainedCopy") => parameter.Name is "destinationArray",
            ("System.Buffer", "BlockCopy") => parameter.Name is "dst",
            ("System.Random", "NextBytes") => true,
            ("System.IO.Stream", "Read" or "ReadExactly" or "ReadAtLeast") => parameter.Name is "buffer",
            _ => false,
        };
    }

    /// <summary>The parameter an expression denotes, looking through conversions and <c>.Span</c> of a Memory.</summary>
    private static IParameterSymbol? Parameter(IOperation? operation) => operation switch
    {
        IParameterReferenceOperation reference => reference.Parameter,
        IConversionOperation conversion => Parameter(conversion.Operand),
        IPropertyReferenceOperation { Property.Name: "Span" } span => Parameter(span.Instance),
        _ => null,
    };
}
