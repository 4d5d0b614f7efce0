using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>EDL user_check over an enum this library declares: in-process, the host's array itself reaches trusted code.</summary>
[Enclave]
public partial class Borrower
{
#pragma warning disable EG2004 // Deliberate: this is the test of the unsafe opt-out.
    [Trusted]
    public int Recolor([UnsafeUserCheck] Color[] colors, Color from, Color to)
#pragma warning restore EG2004
    {
        int changed = 0;
        for (int i = 0; i < colors.Length; i++)
        {
            if (colors[i] == from)
            {
                colors[i] = to;
                changed++;
            }
        }

        return changed;
    }
}
