using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>
/// Trusted code that breaks the one-OCALL-at-a-time rule on purpose: it starts two OCALLs at the
/// same moment from two tasks (EG1201 forbids starting work items in trusted code; suppressed here).
/// </summary>
[Enclave]
public partial class Racer
{
    // The caller chooses how many rounds to race: the enclave caps them.
    private const int MaxRounds = 10_000;

    /// <summary>
    /// Races two OCALLs <paramref name="rounds"/> times. Returns how many completed, how many were
    /// refused with <see cref="EnclaveCallContextException"/>, and any other failure's type name.
    /// </summary>
    [Trusted]
    public string TwoOcallsAtOnce(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rounds, MaxRounds);
        int completed = 0;
        int refused = 0;
        List<string> other = [];
        for (int round = 0; round < rounds; round++)
        {
            using Barrier start = new(2);
#pragma warning disable EG1201 // The attack under test: two work items inside one ECALL.
            Task<int>[] racers = [Task.Run(() => Race(start, round)), Task.Run(() => Race(start, -round))];
#pragma warning restore EG1201
            foreach (Task<int> racer in racers)
            {
                try
                {
                    racer.GetAwaiter().GetResult();
                    completed++;
                }
                catch (EnclaveCallContextException)
                {
                    refused++;
                }
#pragma warning disable CA1031 // Reported back: anything else is what the test looks for.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    other.Add(exception.GetType().Name);
                }
            }
        }

        return $"completed={completed} refused={refused} other={string.Join(",", other.Distinct())}";
    }

    /// <summary>
    /// Starts an OCALL in a work item and returns while it is still out at the host: the host
    /// answers the OCALL with the private ECALL <see cref="OcallIsOut"/>, which lets this return.
    /// </summary>
    [Trusted]
    public string ReturnWhileAnOcallIsOut()
    {
        _ocallIsOut.Reset();
#pragma warning disable EG1201 // The attack under test: a work item whose OCALL outlives its ECALL.
        _ = Task.Run(() => HostHoldsTheOcall());
#pragma warning restore EG1201
        return _ocallIsOut.Wait(TimeSpan.FromSeconds(30)) ? "returned with the OCALL out" : "the OCALL never reached the host";
    }

    /// <summary>A private ECALL: the host calls it while HostHoldsTheOcall runs, so that OCALL is out.</summary>
    [Trusted]
    private void OcallIsOut() => _ocallIsOut.Set();

    private readonly ManualResetEventSlim _ocallIsOut = new();

    private static int Race(Barrier start, int value)
    {
        start.SignalAndWait();
        return HostEcho(value);
    }

    [Untrusted] private static partial int HostEcho(int value);

    [Untrusted(Allow = [nameof(OcallIsOut)])] private static partial void HostHoldsTheOcall();
}
