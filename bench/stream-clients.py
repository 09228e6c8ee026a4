#!/usr/bin/env python3
"""bench/stream-clients.py - holds N idle live streams open (bench/stream-heap.sh).

Opens N HTTP/1.1 connections to PATH, each a GET for the event stream, and waits until every one has its
response head and first event. Then prints "open N" and holds them, reading whatever arrives (heartbeats)
so that none counts as a slow client, until its standard input closes; then it closes them all and prints
"closed N". Each stream can come from its own X-Forwarded-For address (--forwarded), so that the per-address
cap does not apply when the app trusts the loopback proxy.

Usage: bench/stream-clients.py PORT N [PATH] [--forwarded]
"""
import asyncio
import sys


async def open_stream(port, path, address, opened):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    forwarded = f"X-Forwarded-For: {address}\r\n" if address else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n{forwarded}\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = head.split(b" ", 2)[1]
    if status != b"200":
        raise RuntimeError(f"stream refused: {head.decode(errors='replace').splitlines()[0]}")
    # The first event: the current count.
    await reader.readuntil(b"\n\n")
    opened.append(writer)
    return reader


async def drain(reader):
    try:
        while await reader.read(4096):
            pass
    except (ConnectionError, asyncio.CancelledError):
        pass


async def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else "/api/visitors/bench/stream"
    forwarded = "--forwarded" in sys.argv
    opened = []
    readers = []
    # In batches, so the server's accept queue is never the bottleneck being measured.
    for start in range(0, count, 50):
        batch = [open_stream(port, path, f"198.18.{i // 250}.{i % 250 + 1}" if forwarded else None, opened)
                 for i in range(start, min(count, start + 50))]
        readers += await asyncio.gather(*batch)
    drains = [asyncio.create_task(drain(reader)) for reader in readers]
    print(f"open {len(opened)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for writer in opened:
        writer.close()
    for task in drains:
        task.cancel()
    print(f"closed {len(opened)}", flush=True)


asyncio.run(main())
