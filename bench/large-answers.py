#!/usr/bin/env python3
"""An ordinary client's latency while many clients ask for a large answer and never read it.

Usage: large-answers.py PORT CLIENTS SECONDS MODE [PATH]
CLIENTS connections, each from an address of its own (127.1.x.y), send one GET for PATH (Swagger UI's
1.5 MB script by default) with a small receive window, and (MODE noread) never read the answer, or (MODE read)
read it whole; then they keep the connection until SECONDS have passed. Meanwhile an ordinary client sends a
GET and a POST of a new visitor in turn, 15 a second, each on a new connection from 127.0.x.y (5 s timeout).
Prints the ordinary requests' count, failures and latencies over the whole attack, its first 10 s (the burst:
every client asks at once) and the rest (held: the clients sit on their connections), then what the
large-answer clients got.
"""
import asyncio, socket, sys, threading, time, uuid

PORT, CLIENTS, SECONDS, MODE = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
PATH = sys.argv[5] if len(sys.argv) > 5 else "/swagger-ui/swagger-ui-bundle.js"
BURST_SECONDS = 10
results = []


def ordinary(kind, source):
    started = time.time()
    try:
        c = socket.create_connection(("127.0.0.1", PORT), timeout=5, source_address=(source, 0))
        if kind == "GET":
            c.sendall(b"GET /api/visitors HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        else:
            body = ('{"visitorId":"%s"}' % uuid.uuid4()).encode()
            c.sendall(b"POST /api/visitors HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0\r\nConnection: close\r\n"
                      b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        answer = b""
        while True:
            data = c.recv(65536)
            if not data:
                break
            answer += data
        c.close()
        results.append((kind, time.time() - started, answer.startswith(b"HTTP/1.1 200"), started))
    except OSError:
        results.append((kind, time.time() - started, False, started))


def prober(stop):
    i = 0
    while not stop.is_set():
        i += 1
        source = "127.0.%d.%d" % (100 + i % 50, 1 + (i // 50) % 250)
        threading.Thread(target=ordinary, args=("GET" if i % 2 else "POST", source), daemon=True).start()
        time.sleep(1 / 15)


async def non_reader(i, statuses):
    source = "127.1.%d.%d" % (i // 250, 1 + i % 250)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.setblocking(False)
    s.bind((source, 0))
    try:
        await asyncio.get_running_loop().sock_connect(s, ("127.0.0.1", PORT))
        await asyncio.get_running_loop().sock_sendall(s, b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % PATH.encode())
        loop = asyncio.get_running_loop()
        head = await asyncio.wait_for(loop.sock_recv(s, 12), 10)
        status = head[9:12].decode("latin-1") or "closed"
        statuses[status] = statuses.get(status, 0) + 1
        if MODE == "read":
            while await asyncio.wait_for(loop.sock_recv(s, 65536), 30):
                pass
        await asyncio.sleep(max(0, attack_started + SECONDS - time.time()))
    except (OSError, asyncio.TimeoutError) as e:
        statuses[type(e).__name__] = statuses.get(type(e).__name__, 0) + 1
    finally:
        s.close()


async def attack():
    global attack_started
    attack_started = time.time()
    statuses = {}
    tasks = []
    for i in range(CLIENTS):
        tasks.append(asyncio.ensure_future(non_reader(i, statuses)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    return statuses


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))] * 1000 if values else float("nan")


attack_started = time.time()
stop = threading.Event()
threading.Thread(target=prober, args=(stop,), daemon=True).start()
statuses = asyncio.run(attack())
stop.set()
time.sleep(5.5)


def report(name, rows):
    if not rows:
        return
    latencies = [r[1] for r in rows]
    print("%s requests=%d failures=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f get_p99_ms=%.1f post_p99_ms=%.1f" % (
        name, len(rows), sum(1 for r in rows if not r[2]), percentile(latencies, 0.5), percentile(latencies, 0.99),
        max(latencies) * 1000, percentile([r[1] for r in rows if r[0] == "GET"], 0.99),
        percentile([r[1] for r in rows if r[0] == "POST"], 0.99)))


during = [r for r in results if r[3] < attack_started + SECONDS]
report("mode=%s ordinary=all" % MODE, during)
report("mode=%s ordinary=burst" % MODE, [r for r in during if r[3] < attack_started + BURST_SECONDS])
report("mode=%s ordinary=held" % MODE, [r for r in during if r[3] >= attack_started + BURST_SECONDS])
print("mode=%s large-answer-clients=%d path=%s answers=%s" % (MODE, CLIENTS, PATH, dict(sorted(statuses.items()))))
