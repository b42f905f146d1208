#!/usr/bin/env python3
"""Forwards a loopback port of this machine to an address inside the node's network namespace.

Usage: forward.py LISTEN_PORT NETNS_PATH TARGET_HOST TARGET_PORT

The listening socket is made first, in the machine's namespace, on 127.0.0.1 only; then the process
moves into the node's namespace, so every connection it opens from then on starts there. This is how
the tests and kubectl reach the API server without the node's network touching the machine's own.
"""
import asyncio
import ctypes
import os
import socket
import sys

CLONE_NEWNET = 0x40000000


def enter(netns_path: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(netns_path, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f"setns {netns_path}")
    os.close(fd)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main() -> None:
    listen_port, netns_path, host, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    listener = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
    enter(netns_path)

    async def serve(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, target_writer), pipe(target_reader, client_writer))

    server = await asyncio.start_server(serve, sock=listener)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
