// Expect: none
// safe: a host value decides only which public message is shown, not what is released or allowed
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EnclaveGen;

namespace IntegrityCorpus;

[Enclave]
public partial class Inbox
{
    [Trusted]
    public string Summary()
    {
        int unread = UnreadCount();
        return unread switch
        {
            0 => "No new messages",
            1 => "One new message",
            _ => "Several new messages",
        };
    }

    [Untrusted] private static partial int UnreadCount();
}

partial class Inbox
{
    private static partial int UnreadCount() => throw new NotSupportedException("the host's side");
}
