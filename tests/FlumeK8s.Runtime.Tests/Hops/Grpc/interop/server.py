"""A standard gRPC server (grpcio, the C core) that receives AppendBatch calls from a FlumeK8s grpc sink.

Prints "PORT <n>" once listening on 127.0.0.1, then one line per received event: EVENT <headers as JSON> <body>.
With --reject N, answers the first N calls with RESOURCE_EXHAUSTED (and prints REJECTED). Stops when stdin closes.
"""
import argparse
import json
import sys
from concurrent import futures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca", help="require client certificates signed by this CA")
    parser.add_argument("--reject", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    import grpc
    import flumek8s_pb2
    import flumek8s_pb2_grpc

    state = {"reject": args.reject}

    class Hop(flumek8s_pb2_grpc.HopServicer):
        def AppendBatch(self, request, context):
            if state["reject"] > 0:
                state["reject"] -= 1
                print("REJECTED", flush=True)
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "test server: channel full")
            for event in request.events:
                print("EVENT %s %s" % (json.dumps(dict(event.headers), sort_keys=True), event.body.decode()), flush=True)
            return flumek8s_pb2.Ack(accepted=len(request.events))

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    flumek8s_pb2_grpc.add_HopServicer_to_server(Hop(), server)
    if args.cert:
        def read(path):
            with open(path, "rb") as f:
                return f.read()
        credentials = grpc.ssl_server_credentials(
            [(read(args.key), read(args.cert))],
            root_certificates=read(args.client_ca) if args.client_ca else None,
            require_client_auth=bool(args.client_ca))
        port = server.add_secure_port("127.0.0.1:0", credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
