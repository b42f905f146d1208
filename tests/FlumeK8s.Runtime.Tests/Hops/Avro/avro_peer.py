#!/usr/bin/env python3
"""An independent Avro peer for the avro source/sink tests, built on Debian's python3-avro.

  crosscheck          stdin: JSON {"protocol": text, "cases": [{"schema", "datum", "ours"}]}
                      stdout: JSON [{"encoded": hex, "decoded": datum}] - python's bytes for each
                      datum, and python's reading of our bytes ("ours", hex). Bytes values are hex.
  client PORT N       sends N events with avro.ipc's Requestor over Avro's Netty framing to
                      127.0.0.1:PORT, one appendBatch on a fresh connection, then one append on
                      another; prints each status.
"""
import io
import json
import socket
import struct
import sys

import avro.io
import avro.ipc
import avro.protocol
import avro.schema

EVENT = {"type": "record", "name": "AvroFlumeEvent", "namespace": "org.apache.flume.source.avro",
         "fields": [{"name": "headers", "type": {"type": "map", "values": "string"}},
                    {"name": "body", "type": "bytes"}]}
SCHEMAS = {
    "event": avro.schema.parse(json.dumps(EVENT)),
    "events": avro.schema.parse(json.dumps({"type": "array", "items": EVENT})),
    "hsreq": avro.ipc.HANDSHAKE_REQUEST_SCHEMA,
    "hsresp": avro.ipc.HANDSHAKE_RESPONSE_SCHEMA,
}
BYTES_FIELDS = {"body", "clientHash", "serverHash"}


def from_json(value, key=None):
    """JSON datum -> python avro datum (hex strings become bytes where the schema has bytes)."""
    if isinstance(value, dict):
        if key == "meta":
            return {k: bytes.fromhex(v) for k, v in value.items()}
        return {k: from_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if key in BYTES_FIELDS and isinstance(value, str):
        return bytes.fromhex(value)
    return value


def to_json(value):
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def crosscheck():
    request = json.load(sys.stdin)
    avro.protocol.parse(request["protocol"])  # our protocol text must be a valid Avro protocol
    results = []
    for case in request["cases"]:
        schema = SCHEMAS[case["schema"]]
        out = io.BytesIO()
        avro.io.DatumWriter(schema).write(from_json(case["datum"]), avro.io.BinaryEncoder(out))
        decoded = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(case["ours"]))))
        results.append({"encoded": out.getvalue().hex(), "decoded": to_json(decoded)})
    json.dump(results, sys.stdout)


class NettyTransceiver:
    """Avro's Netty framing: int32 serial, int32 buffer count, (int32 length, bytes) per buffer."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.serial = 0
        self.remote_name = "127.0.0.1:%d" % port

    def read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise IOError("connection closed")
            data += chunk
        return data

    def transceive(self, request):
        self.serial += 1
        self.sock.sendall(struct.pack(">iii", self.serial, 1, len(request)) + request)
        serial, count = struct.unpack(">ii", self.read_exactly(8))
        if serial != self.serial:
            raise IOError("reply serial %d, expected %d" % (serial, self.serial))
        reply = b""
        for _ in range(count):
            (length,) = struct.unpack(">i", self.read_exactly(4))
            reply += self.read_exactly(length)
        return reply

    def close(self):
        self.sock.close()


def client(port, count, protocol_text):
    protocol = avro.protocol.parse(protocol_text)
    events = [{"headers": {"n": str(i), "from": "python"}, "body": ("py-%d" % i).encode()} for i in range(count)]
    transceiver = NettyTransceiver(port)
    print(avro.ipc.Requestor(protocol, transceiver).request("appendBatch", {"events": events}))
    transceiver.close()
    # A new connection: the requestor now knows the server's hash, the server knows ours.
    transceiver = NettyTransceiver(port)
    requestor = avro.ipc.Requestor(protocol, transceiver)
    # python-avro keeps the remote's hash across requestors but not the protocol it parsed.
    requestor._remote_protocol = avro.ipc.REMOTE_PROTOCOLS[transceiver.remote_name]
    print(requestor.request("append", {"event": {"headers": {}, "body": b"single"}}))
    transceiver.close()


if __name__ == "__main__":
    if sys.argv[1] == "crosscheck":
        crosscheck()
    else:
        client(int(sys.argv[2]), int(sys.argv[3]), sys.stdin.read())
