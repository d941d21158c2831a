"""The client's tests run against a live server of this project (pytest-django's
live_server), through a small HTTP proxy that can refuse, throttle or lose requests."""

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from asset_library_client import AssetLibrary
from rest_framework.authtoken.models import Token


class FaultProxy:
    """Relays to `upstream`. Faults are queued: `throttle(n)` answers the next n requests
    with a 429 (Retry-After: 0), `unavailable(n)` with a 503, `lose(n)` passes the next n
    requests on and then drops the connection without an answer (the server did the work,
    the client never heard)."""

    def __init__(self, upstream: str):
        target = urlparse(upstream)
        proxy = self
        self.faults: list[str] = []
        self.requests = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with proxy.lock:
                    proxy.requests += 1
                    fault = proxy.faults.pop(0) if proxy.faults else None
                if fault in ("429", "503"):
                    payload = b'{"detail": "Injected by the test."}'
                    self.send_response(int(fault))
                    self.send_header("Content-Type", "application/json")
                    if fault == "429":
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                upstream_conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {name: value for name, value in self.headers.items() if name.lower() != "connection"}
                upstream_conn.request(self.command, self.path, body=body, headers=headers)
                answer = upstream_conn.getresponse()
                data = answer.read()
                upstream_conn.close()
                if fault == "lose":
                    self.close_connection = True
                    return  # no answer at all
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _relay  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def inject(self, *faults: str):
        with self.lock:
            self.faults.extend(faults)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def module_user(transactional_db):
    from assets.tests.factories import UserFactory

    return UserFactory(username="image-studio")


@pytest.fixture
def token(module_user):
    return Token.objects.get_or_create(user=module_user)[0].key


@pytest.fixture
def proxy(live_server):
    proxy = FaultProxy(live_server.url)
    yield proxy
    proxy.close()


@pytest.fixture
def library(proxy, token):
    client = AssetLibrary(proxy.url, token, backoff=0.01, max_backoff=0.05, timeout=(2, 10))
    yield client
    client.close()
