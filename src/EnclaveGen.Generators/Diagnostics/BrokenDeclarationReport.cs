using EnclaveGen.Generators.Model;
using EnclaveGen.Shared;
using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Generators.Diagnostics;

/// <summary>
/// EG1002 and EG1005 in the states where the compiler's own declaration errors keep analyzers
/// from running (<see cref="BrokenDeclarations"/>): the generator runs before that point, so it
/// reports them. The model holds only strings and numbers, so the step stays cacheable.
/// </summary>
internal static class BrokenDeclarationReport
{
    public static EquatableArray<ReportedProblem> Find(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parts = context.TargetSymbol.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<ClassDeclarationSyntax>();

        // Every part triggers this step; the first part reports for all of them.
        if (context.TargetNode != context.TargetSymbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken))
        {
            return EquatableArray<ReportedProblem>.Empty;
        }

        return new EquatableArray<ReportedProblem>(BrokenDeclarations.Find(parts).Select(problem => ReportedProblem.From(problem.Descriptor, problem.Location, problem.Name)));
    }

    public static void Report(SourceProductionContext output, EquatableArray<ReportedProblem> problems)
    {
        foreach (ReportedProblem problem in problems)
        {
            output.ReportDiagnostic(problem.ToDiagnostic());
        }
    }
}

/// <summary>One diagnostic, as equatable data: the rule, its argument and where it is.</summary>
internal sealed record ReportedProblem(string Id, string Argument, string Path, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public static ReportedProblem From(DiagnosticDescriptor descriptor, Location location, string argument)
    {
        LinePositionSpan lines = location.GetLineSpan().Span;
        return new ReportedProblem(descriptor.Id, argument, location.SourceTree?.FilePath ?? "", location.SourceSpan.Start, location.SourceSpan.Length, lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }

    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = Id == DiagnosticDescriptors.EnclaveNotPartial.Id ? DiagnosticDescriptors.EnclaveNotPartial : DiagnosticDescriptors.UntrustedWithBody;
        Location location = Location.Create(Path, new TextSpan(Start, Length), new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
        return Diagnostic.Create(descriptor, location, Argument);
    }
}
