using System.Net;
using FlumeK8s.Runtime.Hops.Endpoints;

namespace FlumeK8s.Runtime.Tests.Hops.Endpoints;

/// <summary>A resolver whose answer the test sets; can also fail on demand.</summary>
internal sealed class FakeHostResolver(params string[] addresses) : IHostResolver
{
    private volatile IPAddress[] _addresses = [.. addresses.Select(IPAddress.Parse)];

    public Exception? Failure { get; set; }

    public int Calls { get; private set; }

    public void Answer(params string[] addresses) => _addresses = [.. addresses.Select(IPAddress.Parse)];

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        Calls++;
        return Failure is { } failure ? Task.FromException<IReadOnlyList<IPAddress>>(failure) : Task.FromResult<IReadOnlyList<IPAddress>>(_addresses);
    }
}
