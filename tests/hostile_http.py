"""A small threaded HTTP server on 127.0.0.1 that misbehaves on purpose.

pytest-httpserver answers politely; this one does what an attacker (or a broken server)
would: a byte a second, an endless chunked body, a 2 GB body, a gzip bomb, 429 forever,
redirects off host, a token echoed back. Every loop is bounded in count and time, so a
client that does not stop still ends the test. Used by tests/test_net_limits.py and
bench/attack_bench.py.
"""

from __future__ import annotations

import collections
import json
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

GIB = 1 << 30
MAX_SERVE_SECONDS = 150.0  # no single answer lasts longer, whatever the client does


def gzip_zeros(total: int, step: int = 1 << 20) -> Iterator[bytes]:
    """A gzip stream of ``total`` zero bytes, produced as it is sent (about 1/1000 the size)."""
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(step)
    for _ in range(total // step):
        piece = co.compress(zeros)
        if piece:
            yield piece
    yield co.flush()


def gzip_bomb(total: int = 2 * GIB) -> bytes:
    """The whole bomb in memory: about 2 MB that inflate to ``total`` bytes."""
    return b"".join(gzip_zeros(total))


class Conn:
    """One accepted connection: the request, and helpers that write bounded answers."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock, self.stop = sock, stop
        self.started = time.monotonic()

    def alive(self) -> bool:
        return not self.stop.is_set() and time.monotonic() - self.started < MAX_SERVE_SECONDS

    def send(self, data: bytes) -> bool:
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def head(self, status: str, headers: dict[str, str]) -> bool:
        lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def json(self, status: str, body: object, **headers: str) -> None:
        data = json.dumps(body).encode()
        self.head(status, {"Content-Type": "application/json", "Content-Length": str(len(data)), **headers})
        self.send(data)

    def drip(self, data: bytes, interval: float, limit: int) -> None:
        """One byte every ``interval`` s, at most ``limit`` bytes, while the client listens."""
        for i in range(min(limit, len(data))):
            if not self.alive() or not self.send(data[i : i + 1]):
                return
            time.sleep(interval)

    def stream(self, pieces: Iterator[bytes], limit: int) -> None:
        sent = 0
        for piece in pieces:
            if sent >= limit or not self.alive() or not self.send(piece):
                return
            sent += len(piece)


Behaviour = Callable[[Conn, str, dict[str, list[str]]], None]


class HostileServer:
    """``server.url(path)``; ``server.on(path, behaviour)``; ``server.hits[path]`` counts requests."""

    def __init__(self, host: str = "127.0.0.1", tls: tuple[str, str] | None = None) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.hits: collections.Counter[str] = collections.Counter()
        self.stop = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(30)
                if outer.tls is not None:
                    try:
                        self.request = outer.tls.wrap_socket(self.request, server_side=True)
                    except OSError:
                        return
                conn = Conn(self.request, outer.stop)
                buffer = b""
                while conn.alive():
                    try:
                        while b"\r\n\r\n" not in buffer:
                            chunk = self.request.recv(65536)
                            if not chunk:
                                return
                            buffer += chunk
                            if len(buffer) > 65536:
                                return
                    except OSError:
                        return
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
                    parts = urlsplit(target)
                    with outer.lock:
                        outer.hits[parts.path] += 1
                        outer.log.append(target)
                    behaviour = outer.routes.get(parts.path)
                    if behaviour is None:
                        conn.json("404 Not Found", {"error": "not found"})
                    else:
                        behaviour(conn, target, parse_qs(parts.query))
                    # answers without Content-Length end the connection; others keep it alive

        self.tls = None
        if tls is not None:
            import ssl

            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(*tls)
        self.scheme = "https" if tls else "http"
        self.lock = threading.Lock()
        self.log: list[str] = []
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def on(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url(path)


# --- behaviours -----------------------------------------------------------------------


def slow_loris(interval: float = 1.0, limit: int = 10_000) -> Behaviour:
    """Headers at once, then the body one byte every ``interval`` s (a per-read timeout never fires)."""

    def run(conn: Conn, target: str, query: dict) -> None:
        conn.head("200 OK", {"Content-Type": "application/json", "Content-Length": str(limit)})
        conn.drip(b"[" + b" " * (limit - 2) + b"]", interval, limit)
        conn.sock.close()

    return run


def slow_headers(interval: float = 1.0, limit: int = 10_000) -> Behaviour:
    """The status line and headers themselves, one byte every ``interval`` s."""

    def run(conn: Conn, target: str, query: dict) -> None:
        conn.drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * limit, interval, limit)
        conn.sock.close()

    return run


def endless_chunked(limit: int = 8 * GIB) -> Behaviour:
    """A chunked body that never ends (stops after ``limit`` bytes or when the client leaves)."""

    def run(conn: Conn, target: str, query: dict) -> None:
        conn.head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        block = b"[" + b" " * (1 << 16)
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        conn.stream(iter(lambda: chunk, None), limit)
        conn.sock.close()

    return run


def huge_body(size: int = 2 * GIB, announce: bool = True) -> Behaviour:
    """``size`` bytes of JSON-ish spaces, with or without a Content-Length."""

    def run(conn: Conn, target: str, query: dict) -> None:
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if announce:
            headers["Content-Length"] = str(size)
        conn.head("200 OK", headers)
        block = b" " * (1 << 16)
        conn.stream(iter(lambda: block, None), size)
        conn.sock.close()

    return run


def gzip_bomb_answer(bomb: bytes | None = None, total: int = 2 * GIB, ctype: str = "application/json") -> Behaviour:
    """A gzip-encoded body inflating to ``total`` bytes (``bomb``: a prepared one, sent whole)."""

    def run(conn: Conn, target: str, query: dict) -> None:
        headers = {"Content-Type": ctype, "Content-Encoding": "gzip", "Connection": "close"}
        if bomb is not None:
            headers["Content-Length"] = str(len(bomb))
        conn.head("200 OK", headers)
        if bomb is not None:
            conn.stream(iter([bomb[i : i + (1 << 16)] for i in range(0, len(bomb), 1 << 16)]), len(bomb))
        else:
            conn.stream(gzip_zeros(total), total)
        conn.sock.close()

    return run


def status_forever(status: str, **headers: str) -> Behaviour:
    """The same error answer to every request (429 Retry-After: 0, 503, …)."""

    def run(conn: Conn, target: str, query: dict) -> None:
        conn.json(status, {"error": status}, **headers)

    return run


def redirect(location: Callable[[str], str]) -> Behaviour:
    def run(conn: Conn, target: str, query: dict) -> None:
        conn.head("302 Found", {"Location": location(target), "Content-Length": "0"})

    return run


def echo_error(render: Callable[[dict[str, list[str]]], str], status: str = "400 Bad Request", pad: int = 300) -> Behaviour:
    """An error whose message, after ``pad`` characters, echoes ``render(query)`` (a token, re-encoded)."""

    def run(conn: Conn, target: str, query: dict) -> None:
        conn.json(status, {"error": "x" * pad + " you sent " + render(query)})

    return run


def echo_feed(render: Callable[[dict[str, list[str]]], str]) -> Behaviour:
    """A 200 RSS feed (with an ETag) whose entry title echoes ``render(query)``."""

    def run(conn: Conn, target: str, query: dict) -> None:
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
            f"<title>{render(query)}</title><guid>g1</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>"
            "</item></channel></rss>"
        ).encode()
        conn.head("200 OK", {"Content-Type": "application/rss+xml", "ETag": '"e1"', "Content-Length": str(len(body))})
        conn.send(body)

    return run
