using System.Buffers.Binary;
using System.Globalization;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// The emulated platform's counters: one store entry each (<c>counters/&lt;id&gt;</c>), changed
/// only through the store's atomic update, which holds the store's lock file across processes.
/// Whoever controls the store can still set them back; docs/protected-files.md says what that means.
/// </summary>
internal sealed class StoreMonotonicCounters(EnclavePlatform platform) : IMonotonicCounterService
{
    private const byte RecordVersion = 1;
    private const int RecordLength = 9;

    public string Description => $"emulated, in the platform store ({platform.Location})";

    public ulong Create(string counterId)
    {
        string entry = EntryName(counterId);
        platform.UpdateEntryAtomically(entry, existing => existing is null
            ? Encode(0)
            : throw new MonotonicCounterException($"Monotonic counter {counterId} exists already in {Description}; read or increment it instead of creating it.", MonotonicCounterFailure.AlreadyExists));
        return 0;
    }

    public ulong Increment(string counterId)
    {
        string entry = EntryName(counterId);
        ulong incremented = 0;
        platform.UpdateEntryAtomically(entry, existing =>
        {
            if (existing is null)
            {
                throw new MonotonicCounterException($"Monotonic counter {counterId} does not exist in {Description}: create it first.", MonotonicCounterFailure.NotFound);
            }

            ulong value = Decode(counterId, existing);
            if (value == ulong.MaxValue)
            {
                throw new MonotonicCounterException($"Monotonic counter {counterId} is at its largest value ({ulong.MaxValue}) and cannot go higher; use a new counter.", MonotonicCounterFailure.Exhausted);
            }

            incremented = value + 1;
            return Encode(incremented);
        });
        return incremented;
    }

    public ulong? Read(string counterId)
    {
        byte[]? existing = platform.GetEntry(EntryName(counterId));
        return existing is null ? null : Decode(counterId, existing);
    }

    private static string EntryName(string counterId)
    {
        ArgumentNullException.ThrowIfNull(counterId);
        if (counterId.Length != 64 || !counterId.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"A monotonic counter ID is 64 lowercase hex digits; got '{counterId}'.", nameof(counterId));
        }

        return "counters/" + counterId;
    }

    private static byte[] Encode(ulong value)
    {
        byte[] record = new byte[RecordLength];
        record[0] = RecordVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(1), value);
        return record;
    }

    private ulong Decode(string counterId, byte[] record)
    {
        if (record.Length != RecordLength || record[0] != RecordVersion)
        {
            throw new MonotonicCounterException(
                string.Create(CultureInfo.InvariantCulture, $"Monotonic counter {counterId} in {Description} is unreadable: {record.Length} bytes, expected {RecordLength} starting with version {RecordVersion}. The store was edited; restore it from a backup."),
                MonotonicCounterFailure.Corrupt);
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(1));
    }
}
