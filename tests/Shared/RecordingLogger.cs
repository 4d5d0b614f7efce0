using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Tests;

/// <summary>
/// Keeps every log event with its category, ID, level and rendered message. Both a provider (add it
/// to a host's logging) and a factory (hand it to EnclaveOptions.LoggerFactory). Linked into the
/// test projects that check log events.
/// </summary>
internal sealed class RecordingLogger : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(string Category, EventId Id, LogLevel Level, string Message)> Events { get; } = new();

    public IEnumerable<string> Messages => Events.Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("A recording logger records; it has no providers.");

    public void Dispose()
    {
    }

    private sealed class Category(RecordingLogger owner, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Events.Enqueue((name, eventId, logLevel, formatter(state, exception)));
    }
}
