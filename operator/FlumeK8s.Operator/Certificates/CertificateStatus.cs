namespace FlumeK8s.Operator.Certificates;

/// <summary>One entry of a tier's <c>status.certificates</c>: which certificate, in which Secret, valid until when.</summary>
internal sealed record CertificateStatus(string Name, string Secret, DateTimeOffset NotAfter);
