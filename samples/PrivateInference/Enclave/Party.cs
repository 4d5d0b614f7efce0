namespace PrivateInference;

/// <summary>The parties that talk to the enclave over an attested channel of their own (the model owner releases its model over attested TLS instead).</summary>
public enum Party
{
    /// <summary>Owns the inputs: sends features, gets predictions, never sees the weights.</summary>
    Client = 2,
}
