using FlumeK8s.Runtime.Events;
using Google.Protobuf;
using Grpc.Core;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// flumek8s.proto's <c>Hop.AppendBatch</c>, as each side calls it. The request is the proto's
/// EventBatch on the wire, but each side reads or writes it as the agent's own events (see
/// <see cref="EventBatchWriter"/>, <see cref="EventBatchReader"/>): per-event protobuf objects
/// would cost more than the rest of the hop. The Ack is the generated message.
/// </summary>
internal static class HopMethods
{
    public const string ServiceName = "flumek8s.v1.Hop";
    public const string AppendBatchName = "AppendBatch";
    public const string AppendBatchPath = "/" + ServiceName + "/" + AppendBatchName;

    private static readonly Marshaller<Proto.Ack> AckMarshaller = Marshallers.Create(a => a.ToByteArray(), Proto.Ack.Parser.ParseFrom);

    /// <summary>What a sink sends.</summary>
    public static Method<IReadOnlyList<Event>, Proto.Ack> Send { get; } = new(
        MethodType.Unary,
        ServiceName,
        AppendBatchName,
        new Marshaller<IReadOnlyList<Event>>(EventBatchWriter.Write, _ => throw new NotSupportedException("a sink never reads a batch")),
        AckMarshaller);

    /// <summary>What a source receives.</summary>
    public static Method<List<Event>, Proto.Ack> Receive { get; } = new(
        MethodType.Unary,
        ServiceName,
        AppendBatchName,
        new Marshaller<List<Event>>((_, _) => throw new NotSupportedException("a source never sends a batch"), context => EventBatchReader.Read(context.PayloadAsReadOnlySequence())),
        AckMarshaller);
}
