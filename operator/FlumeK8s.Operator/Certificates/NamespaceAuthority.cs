using System.Globalization;

namespace FlumeK8s.Operator.Certificates;

/// <summary>
/// The CA of one namespace as its Secret holds it: the CA that signs now (<c>tls.crt</c>,
/// <c>tls.key</c>), the one that will sign next (<c>next.crt</c>, <c>next.key</c>: made when the
/// current one enters its renewal window, trusted at once but signing nothing yet), and the one that
/// signed before (<c>retired.crt</c>: trusted until it expires, so certificates it signed keep
/// working while they are reissued). <c>ca.crt</c> is the trust bundle of all of them, what every
/// tier's Secret carries. A pure value: the decisions take the time and what the tiers trust.
/// </summary>
internal sealed record NamespaceAuthority(IssuedPem Active, IssuedPem? Next, string? Retired)
{
    public const string ActiveCertificate = "tls.crt";
    public const string ActiveKey = "tls.key";
    public const string NextCertificate = "next.crt";
    public const string NextKey = "next.key";
    public const string RetiredCertificate = "retired.crt";
    public const string TrustBundle = "ca.crt";

    public static NamespaceAuthority Create(string @namespace, DateTimeOffset now, CertificatePolicy policy) =>
        new(CertificateIssuer.CreateAuthority(CommonName(@namespace, now), now, policy.CaValidity), null, null);

    // The time in the name tells the CAs of one namespace apart (in a bundle, and for a person reading one).
    private static string CommonName(string @namespace, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"flumek8s hop CA {@namespace} {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");

    /// <summary>The CA stored in <paramref name="data"/>, or null when there is none or it is unreadable (then a new one is made).</summary>
    public static NamespaceAuthority? Read(IReadOnlyDictionary<string, string> data)
    {
        if (!data.TryGetValue(ActiveCertificate, out var certificate) || !data.TryGetValue(ActiveKey, out var key) || !Pem.IsPair(certificate, key))
        {
            return null;
        }
        var next = data.TryGetValue(NextCertificate, out var nextCertificate) && data.TryGetValue(NextKey, out var nextKey) && Pem.IsPair(nextCertificate, nextKey)
            ? new IssuedPem(nextCertificate, nextKey)
            : null;
        var retired = data.TryGetValue(RetiredCertificate, out var old) && Pem.Certificate(old) is not null ? old : null;
        return new NamespaceAuthority(new IssuedPem(certificate, key), next, retired);
    }

    public IReadOnlyDictionary<string, string> ToData()
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ActiveCertificate] = Active.Certificate,
            [ActiveKey] = Active.Key,
            [TrustBundle] = Bundle,
        };
        if (Next is not null)
        {
            data[NextCertificate] = Next.Certificate;
            data[NextKey] = Next.Key;
        }
        if (Retired is not null)
        {
            data[RetiredCertificate] = Retired;
        }
        return data;
    }

    /// <summary>Every CA a hop certificate may chain to now: the signing one first.</summary>
    public string Bundle => string.Concat(new[] { Active.Certificate, Next?.Certificate, Retired }.OfType<string>().Select(p => p.TrimEnd() + "\n"));

    public DateTimeOffset NotAfter => Pem.NotAfter(Pem.Certificate(Active.Certificate)!);

    /// <summary>
    /// The CA after what is due at <paramref name="now"/>: a retired CA that expired leaves the bundle;
    /// a CA in its renewal window gets a successor; the successor signs once
    /// <paramref name="everyTierTrusts"/> says every tier has trusted it long enough.
    /// </summary>
    public NamespaceAuthority Advance(string @namespace, DateTimeOffset now, CertificatePolicy policy, Func<string, bool> everyTierTrusts)
    {
        var state = this;
        if (state.Retired is { } retired && Pem.NotAfter(Pem.Certificate(retired)!) <= now)
        {
            state = state with { Retired = null };
        }
        if (state.Next is null && now >= policy.CaRenewalTime(state.NotAfter))
        {
            state = state with { Next = CertificateIssuer.CreateAuthority(CommonName(@namespace, now), now, policy.CaValidity) };
        }
        else if (state.Next is { } next && everyTierTrusts(next.Certificate))
        {
            state = new NamespaceAuthority(next, null, state.Active.Certificate);
        }
        return state;
    }

    /// <summary>When <see cref="Advance"/> may next have something to do; while a successor waits to sign, soon.</summary>
    public DateTimeOffset NextChange(DateTimeOffset now, CertificatePolicy policy)
    {
        var due = Next is not null ? now + policy.TrustPropagation : policy.CaRenewalTime(NotAfter);
        if (Retired is not null && Pem.NotAfter(Pem.Certificate(Retired)!) is var end && end < due)
        {
            due = end;
        }
        return due;
    }

    public bool SameAs(NamespaceAuthority other) => ToData().SequenceEqual(other.ToData());
}
