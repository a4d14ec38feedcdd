"""A local web server for URL and feed tests: routes the test controls, requests it saw.

Bound to 127.0.0.1 on a free port and served from a daemon thread, so no test touches the
network. A route may answer conditionally (ETag / Last-Modified, with 304), redirect, hang
until the test is over, or trickle its body a byte at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # for redirects
    send_length: bool = True  # False: the body ends when the connection closes
    hang: bool = False  # never answer (until the server stops)
    trickle: bool = False  # one byte every 50 ms


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def seen(self, path: str) -> list[Seen]:
        return [request for request in self.requests if request.path == path]


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            server.requests.append(Seen(self.path, dict(self.headers.items())))
            route = server.routes.get(self.path)
            if route is None:
                self._answer(Route(b"<html><body>Not here</body></html>", status=404))
            elif route.hang:
                server.stopping.wait(30)
                self.close_connection = True
            elif self._unchanged(route):
                self.send_response(304)
                self._validators(route)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._answer(route)

        def _unchanged(self, route: Route) -> bool:
            asked_etag = self.headers.get("If-None-Match")
            asked_date = self.headers.get("If-Modified-Since")
            if route.etag and asked_etag:
                return asked_etag == route.etag
            return bool(route.last_modified and asked_date == route.last_modified)

        def _validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)

        def _answer(self, route: Route) -> None:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.location:
                self.send_header("Location", server.url(route.location))
            self._validators(route)
            if route.send_length:
                self.send_header("Content-Length", str(len(route.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            try:
                if route.trickle:
                    for byte in route.body:
                        if server.stopping.wait(0.05):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                else:
                    self.wfile.write(route.body)
            except OSError:  # the client gave up (a timeout or size-cap test)
                self.close_connection = True

    return Handler


@contextmanager
def serving() -> Iterator[LocalServer]:
    """A running LocalServer; stopped, and any hanging answer released, on exit."""
    state = LocalServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
