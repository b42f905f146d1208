namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>Avro's <c>HandshakeMatch</c>; the values are the symbol indexes.</summary>
public enum HandshakeMatch
{
    /// <summary>The server knows the client's protocol and the client guessed the server's.</summary>
    Both = 0,

    /// <summary>The server knows the client's protocol; the client's guess of the server's was wrong.</summary>
    Client = 1,

    /// <summary>The server does not know the client's protocol: the call did not run, resend it with the protocol text.</summary>
    None = 2,
}
