namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>A positional record.</summary>
public sealed record Address(string Street, string? City);

/// <summary>A nominal record with required and init members, a nested record and a collection.</summary>
public sealed record Person
{
    public required string Name { get; init; }

    public int Age { get; set; }

    public Address? Home { get; init; }

    public List<string> Tags { get; init; } = [];

    /// <summary>Computed: does not cross, and needs not.</summary>
    public bool IsAdult => Age >= 18;
}

/// <summary>A struct with public fields.</summary>
public struct Point
{
    public int X;
    public int Y;
}

/// <summary>A positional readonly record struct.</summary>
public readonly record struct Money(decimal Amount, string Currency);

/// <summary>A recursive type: a linked list.</summary>
public sealed class Node
{
    public int Value { get; set; }

    public Node? Next { get; set; }

    public static Node Chain(int length)
    {
        Node head = new() { Value = 0 };
        Node current = head;
        for (int i = 1; i < length; i++)
        {
            current.Next = new Node { Value = i };
            current = current.Next;
        }

        return head;
    }

    public int Length() => 1 + (Next?.Length() ?? 0);
}

/// <summary>A recursive type: a tree.</summary>
public sealed class Tree
{
    public string Label { get; set; } = "";

    public List<Tree> Children { get; set; } = [];
}

/// <summary>A sealed class built through its only constructor, with a get-only member set by it.</summary>
public sealed class Measurement
{
    public Measurement(string unit, double value)
    {
        Unit = unit;
        Value = value;
    }

    public string Unit { get; }

    public double Value { get; }

    public DateTimeOffset? TakenAt { get; set; }
}

/// <summary>A record holding immutable arrays: one of records, one of primitives, and one left default.</summary>
public sealed record Catalogue(string Name, System.Collections.Immutable.ImmutableArray<Address> Addresses, System.Collections.Immutable.ImmutableArray<long> Codes, System.Collections.Immutable.ImmutableArray<int> Unset);
