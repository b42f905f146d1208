using Grpc.AspNetCore.Server.Model;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>Binds AppendBatch to <see cref="HopService"/> (what generated server code would, with the hop's own marshallers).</summary>
internal sealed class HopServiceMethods : IServiceMethodProvider<HopService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<HopService> context) =>
        context.AddUnaryMethod(HopMethods.Receive, [], (service, request, call) => service.AppendBatchAsync(request, call));
}
