using EnclaveGen.Analyzers.Taint.Incremental;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// When an earlier analysis may be reused for a changed file: only when the change lies inside
/// one method's, operator's or accessor's body and leaves every declaration as it was.
/// </summary>
public sealed class BodyEditTests
{
    private const string Source = """
        using System;
        class Vault
        {
            private int _count;
            public int Count { get => _count; set { _count = value; } }
            public Vault() { _count = 1; }
            public int Add(int x) { _count += x; return _count; }
            public int Twice(int x) => x * 2;
            public static Vault operator +(Vault a, Vault b) { return a; }
            public void Later() { Console.WriteLine(_count); }
        }
        """;

    [Theory]
    [InlineData("_count += x;", "_count += x + 1;", "Add")]
    [InlineData("return _count;", "", "Add")]
    [InlineData("x * 2", "x * 3", "Twice")]
    [InlineData("{ _count = value; }", "{ _count = value + 1; }", "set")]
    [InlineData("get => _count;", "get => _count + 1;", "get")]
    [InlineData("{ return a; }", "{ return b; }", "operator")]
    [InlineData("public int Add(int x) { ", "public int Add(int x) { int y = 0; ", "Add")]
    public void AChangeInsideOneBodyIsABodyEdit(string before, string after, string member)
    {
        BodyEdit edit = Find(before, after) ?? throw new Xunit.Sdk.XunitException("expected a body edit");
        Assert.NotNull(edit.OldMember);
        Assert.Contains(member, edit.NewMember!.ToString(), StringComparison.Ordinal);
        Assert.Equal(after.Length - before.Length, edit.Delta);
    }

    [Theory]
    [InlineData("public int Add(int x)", "public int Add(long x)")]           // a signature
    [InlineData("private int _count;", "private long _count;")]               // a field
    [InlineData("public Vault() { _count = 1; }", "public Vault() { _count = 2; }")] // a constructor (its initializer is not in the speculative body)
    [InlineData("return _count; }", "return _count; } public void M() { }")] // a new member
    [InlineData("_count += x; return _count;", "_count += x; } int Extra() { return _count;")] // braces that now close the method early
    [InlineData("_count += x;", "_count += x;\n#if DEBUG\n#endif\n")]             // a directive
    [InlineData("using System;", "using System.Text;")]                       // a using
    public void AnyOtherChangeIsNot(string before, string after) =>
        Assert.Null(Find(before, after));

    [Fact]
    public void ChangesInTwoBodiesOfOneFileAreNotOneBodyEdit()
    {
        string edited = Source.Replace("_count += x;", "_count -= x;", StringComparison.Ordinal)
            .Replace("Console.WriteLine(_count);", "Console.WriteLine(0);", StringComparison.Ordinal);
        SyntaxTree old = CSharpSyntaxTree.ParseText(Source, path: "Vault.cs");
        Assert.Null(BodyEdit.Find(old, old.WithChangedText(SourceText.From(edited)), CancellationToken.None));
    }

    [Fact]
    public void TheSameTextInAnotherTreeIsAnEditWithNothingChanged()
    {
        SyntaxTree old = CSharpSyntaxTree.ParseText(Source, path: "Vault.cs");
        BodyEdit edit = BodyEdit.Find(old, CSharpSyntaxTree.ParseText(Source, path: "Vault.cs"), CancellationToken.None)!;
        Assert.Null(edit.OldMember);
        Assert.Equal(new TextSpan(10, 5), edit.Map(new TextSpan(10, 5)));
    }

    [Fact]
    public void PlacesBeforeTheEditStayAndPlacesAfterItMoveByItsLength()
    {
        BodyEdit edit = Find("_count += x;", "_count -= x + 1;")!;
        SyntaxNode oldRoot = edit.OldTree.GetRoot();
        TextSpan field = oldRoot.DescendantNodes().OfType<FieldDeclarationSyntax>().Single().Span;
        TextSpan later = oldRoot.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Later").Span;
        TextSpan add = oldRoot.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Add").Span;

        Assert.Equal(field, edit.Map(field));
        Assert.Equal(new TextSpan(later.Start + edit.Delta, later.Length), edit.Map(later));
        Assert.Equal(edit.NewMember!.Span, edit.Map(add));

        // Text that was replaced ("+= x") has no place in the new tree.
        int replaced = Source.IndexOf("+= x;", StringComparison.Ordinal);
        Assert.Null(edit.Map(new TextSpan(replaced, 2)));
        Assert.Equal(4, edit.Delta);
    }

    private static BodyEdit? Find(string before, string after)
    {
        Assert.Contains(before, Source, StringComparison.Ordinal);
        SyntaxTree old = CSharpSyntaxTree.ParseText(Source, path: "Vault.cs");
        SyntaxTree changed = old.WithChangedText(SourceText.From(Source.Replace(before, after, StringComparison.Ordinal)));
        return BodyEdit.Find(old, changed, CancellationToken.None);
    }
}
