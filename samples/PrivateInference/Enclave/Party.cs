namespace PrivateInference;

/// <summary>The two parties that talk to the enclave, each over an attested channel of its own.</summary>
public enum Party
{
    /// <summary>Owns the model: provisions its weights, never sees the clients' inputs.</summary>
    ModelOwner = 1,

    /// <summary>Owns the inputs: sends features, gets predictions, never sees the weights.</summary>
    Client = 2,
}
