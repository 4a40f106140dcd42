"""A small closed-loop HTTP load generator for 127.0.0.1: keep-alive, threads, bounded.

Run as its own process (``python bench/load.py --port … --path …``) so that the
client never shares an interpreter with the server; prints one JSON object.
Each of ``--connections`` threads keeps one HTTP/1.1 connection open and sends
the next request as soon as the previous answer is in, cycling through the
given paths. Only answers that start after the warm-up and end before the
deadline count. Every loop is bounded by ``--duration`` and ``--max-requests``.

The client speaks just enough HTTP/1.1 for this (plain sockets: a request line,
a few headers, a Content-Length body): http.client parses every header with
the email package and would spend more CPU than the pages it measures.
"""

import argparse
import json
import socket
import threading
import time

HOST = "127.0.0.1"  # only local traffic, whatever the arguments say


class HTTPError(Exception):
    pass


class Connection:
    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.buf = b""

    def _connect(self):
        self.sock = socket.create_connection((HOST, self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def _read_until(self, marker):
        while marker not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise HTTPError("connection closed")
            self.buf += chunk
        head, _, self.buf = self.buf.partition(marker)
        return head

    def _read_exactly(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise HTTPError("connection closed")
            self.buf += chunk
        body, self.buf = self.buf[:n], self.buf[n:]
        return body

    def get(self, request_bytes):
        """Send one GET; return (status, body). Reconnects once if the server closed."""
        for attempt in (0, 1):
            if self.sock is None:
                self._connect()
            try:
                self.sock.sendall(request_bytes)
                head = self._read_until(b"\r\n\r\n")
                break
            except (HTTPError, ConnectionError):
                self.close()
                if attempt:
                    raise
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise HTTPError("chunked answers are not supported")
        if length is None:
            raise HTTPError("answer without Content-Length")
        body = self._read_exactly(length)
        if close:
            self.close()
        return status, body


def build_request(path, cookie):
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Accept: text/html", "Connection: keep-alive"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def run(
    port,
    paths,
    cookie="",
    connections=8,
    duration=4.0,
    warmup=1.0,
    max_requests=200_000,
    timeout=10.0,
    expect="",
):
    requests = [build_request(p, cookie) for p in paths]
    expect_bytes = expect.encode()
    start = time.perf_counter()
    window_start = start + warmup
    deadline = window_start + duration
    lock = threading.Lock()
    sent = [0]
    results = []  # per thread: (latencies in window, errors, statuses)

    def worker(offset):
        conn = Connection(port, timeout)
        lat, errors, statuses = [], 0, {}
        i = offset
        try:
            while True:
                with lock:
                    if sent[0] >= max_requests:
                        break
                    sent[0] += 1
                t0 = time.perf_counter()
                if t0 >= deadline:
                    break
                try:
                    status, body = conn.get(requests[i % len(requests)])
                except (OSError, HTTPError, ValueError):
                    errors += 1
                    conn.close()
                    if errors > 100:
                        break
                    continue
                t1 = time.perf_counter()
                i += 1
                statuses[status] = statuses.get(status, 0) + 1
                if status != 200 or (expect_bytes and expect_bytes not in body):
                    errors += 1
                    continue
                if t0 >= window_start and t1 <= deadline:
                    lat.append(t1 - t0)
        finally:
            conn.close()
            with lock:
                results.append((lat, errors, statuses))

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + duration + timeout + 5)
    window = min(time.perf_counter(), deadline) - window_start
    latencies = sorted(x for lat, _, _ in results for x in lat)
    statuses = {}
    for _, _, st in results:
        for k, v in st.items():
            statuses[str(k)] = statuses.get(str(k), 0) + v
    return {
        "requests": len(latencies),
        "errors": sum(e for _, e, _ in results),
        "statuses": statuses,
        "window_s": round(window, 3),
        "rps": len(latencies) / window if window > 0 else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "mean_ms": (sum(latencies) / len(latencies) * 1000) if latencies else 0.0,
        "latencies_ms": [round(x * 1000, 3) for x in latencies],
    }


def percentile(sorted_values, pct):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", action="append", required=True, help="repeat to cycle paths")
    ap.add_argument("--cookie", default="")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--duration", type=float, default=4.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--expect", default="", help="text every answer must contain")
    args = ap.parse_args(argv)
    out = run(
        args.port,
        args.path,
        cookie=args.cookie,
        connections=args.connections,
        duration=min(args.duration, 60.0),
        warmup=min(args.warmup, 10.0),
        max_requests=args.max_requests,
        expect=args.expect,
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
