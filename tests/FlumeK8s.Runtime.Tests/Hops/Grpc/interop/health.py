"""A standard gRPC health client (grpcio, the C core): calls grpc.health.v1.Health/Check once.

Prints the serving status (SERVING, NOT_SERVING, ...) or the status code name of a failed call.
Exits 0 when the call itself succeeded, whatever the serving status.
"""
import argparse
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--service", default="")
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    import grpc
    import health_pb2
    import health_pb2_grpc

    with grpc.insecure_channel(args.target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            response = stub.Check(health_pb2.HealthCheckRequest(service=args.service), timeout=20)
        except grpc.RpcError as error:
            print(error.code().name, flush=True)
            sys.exit(1)
        print(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status), flush=True)


if __name__ == "__main__":
    main()
