using System.Text;
using EnclaveGen.Attestation;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.EnclaveHost;

/// <summary>
/// The enclave process of isolated mode. It hardens itself before anything else happens, takes
/// its standard input and output as the control channel, loads the enclave the host names, agrees
/// the boundary key, serves crossings on the shared ring, and exits when the host is gone.
/// </summary>
internal static class Program
{
    private static int Main()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("The EnclaveGen enclave host runs on Linux only.");
            return 4;
        }

        string hardening = ProcessHardening.Apply();
        HostSideTripwire.Arm();
        (Stream input, Stream output) = ProcessHardening.TakeControlChannel();

        EnclaveServer server;
        try
        {
            if (!ControlChannel.TryRead(input, out ControlKind kind, out byte[] payload) || kind != ControlKind.Hello)
            {
                return 3;
            }

            IsolatedHello hello = IsolatedHello.Decode(payload);
            server = EnclaveServer.Start(hello, out byte[] publicKey);
            ControlChannel.Write(output, ControlKind.Ready, new IsolatedReady(publicKey, hardening).Encode());
        }
        catch (Exception exception)
        {
            // Starting failed: say why on the control channel (the host shows it), then end.
            // One line for the host to show: a stack trace is for a debugger, not for an error message.
            string why = exception is EnclaveException known ? known.Message : ErrorText.Describe(exception);
            try
            {
                ControlChannel.Write(output, ControlKind.Failed, Encoding.UTF8.GetBytes(why));
            }
            catch (IOException)
            {
            }

            return 2;
        }

        try
        {
            while (ControlChannel.TryRead(input, out ControlKind kind, out byte[] payload))
            {
                if (kind == ControlKind.Halt)
                {
                    server.Halt(Encoding.UTF8.GetString(payload));
                }
                else if (kind == ControlKind.Exit)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            // The channel broke: the host is gone.
        }

        // The host said exit, or died (its end of the channel closed). Slot threads may be asleep
        // in the middle of a crossing; end them all at once.
        Libc.ExitNow(0);
        return 0;
    }
}
