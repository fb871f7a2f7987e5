"""deploy/nginx.conf, with its paths and addresses moved into a temporary directory: Debian's
nginx accepts it (`nginx -t`), and run in front of a stand-in node it caches anonymous pages
only as the node's Cache-Control says, never for a session or a token, revalidates with the
ETag, sets the proxy headers itself, and passes live streams through unbuffered.

Skips, saying why, when nginx or openssl is not installed (`apt-get install nginx-light`)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "")
OPENSSL = shutil.which("openssl")

pytestmark = [
    pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx-light)"),
    pytest.mark.skipif(not OPENSSL, reason="openssl is not installed (apt-get install openssl)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(
    directory: Path, *, nodes: list[int] | None = None, ports: tuple[int, int] | None = None
) -> Path:
    """The main configuration nginx is started with: deploy/nginx.conf included in `http`,
    with every path in `directory` and, when given, the nodes and (HTTPS, HTTP) ports on
    loopback."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        subprocess.run(
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=example.org", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    text = CONF.read_text()
    text = text.replace("/var/cache/nginx/peerwork", str(directory / "cache"))
    text = text.replace("/etc/letsencrypt/live/example.org/fullchain.pem", str(cert))
    text = text.replace("/etc/letsencrypt/live/example.org/privkey.pem", str(key))
    text = text.replace("/var/www/html", str(directory / "www"))
    if nodes is not None:
        lines = [line for line in text.splitlines() if "server 10.0.0." not in line]
        at = next(i for i, line in enumerate(lines) if line.startswith("upstream peerwork"))
        for port in nodes:
            lines.insert(at + 1, f"    server 127.0.0.1:{port};")
        text = "\n".join(lines)
    if ports is not None:  # to run it: listen on loopback only
        https, plain = ports
        text = text.replace("    listen [::]:443 ssl http2;\n", "")
        text = text.replace("    listen [::]:80;\n", "")
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{plain};")
    (directory / "peerwork.conf").write_text(text)
    temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    main = directory / "nginx.conf"
    main.write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {directory}/peerwork.conf;
}}
"""
    )
    return main


def _nginx(directory: Path, main: Path, *extra: str) -> list[str]:
    return [
        NGINX,
        "-p",
        str(directory),
        "-c",
        str(main),
        "-e",
        str(directory / "error.log"),
        *extra,
    ]


def test_debian_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    main = render(tmp_path)
    result = subprocess.run(
        _nginx(tmp_path, main, "-t"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


# ---- nginx in front of a stand-in node -----------------------------------------------------


@dataclass
class Node:
    """A stand-in for `peerwork serve`: answers as the test says and remembers what it got."""

    server: ThreadingHTTPServer
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stream_may_end: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def hits(self, path: str) -> int:
        return sum(1 for seen, _headers in self.requests if seen == path)


def _start_node() -> Node:
    node: Node

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            headers = {name.lower(): value for name, value in self.headers.items()}
            node.requests.append((self.path, headers))
            if self.path == "/s/commons/live":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"retry: 2000\n\n")
                self.wfile.flush()
                node.stream_may_end.wait(20)  # the proxy must have passed the line on by now
                self.wfile.write(b": bye\n\n")
                self.close_connection = True
                return
            if self.path == "/cached" and headers.get("if-none-match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.send_header("Cache-Control", "max-age=1")
                self.end_headers()
                return
            body = f"answer {node.hits(self.path)} to {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if self.path == "/cached":
                self.send_header("Cache-Control", "max-age=1")
                self.send_header("ETag", '"v1"')
            elif self.path == "/long":
                self.send_header("Cache-Control", "max-age=300")
            elif self.path == "/private":
                self.send_header("Cache-Control", "private, max-age=300")
            elif self.path == "/cookie":  # a page that hands out a cookie (CSRF, language)
                self.send_header("Cache-Control", "max-age=300")
                self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    node = Node(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return node


@dataclass
class Proxy:
    node: Node
    port: int

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=20, context=context
        )
        try:
            connection.request("GET", path, headers={"Host": "example.org", **headers})
            response = connection.getresponse()
            found = {name.lower(): value for name, value in response.getheaders()}
            return response.status, found, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    directory = tmp_path_factory.mktemp("nginx")
    node = _start_node()
    https = _free_port()
    main = render(directory, nodes=[node.port], ports=(https, _free_port()))
    process = subprocess.Popen(
        _nginx(directory, main, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (directory / "error.log").read_text()
                    raise RuntimeError(f"nginx did not start: {log[-2000:]}") from None
                time.sleep(0.1)
        yield Proxy(node, https)
    finally:
        node.stream_may_end.set()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        node.server.shutdown()
        node.server.server_close()


def test_an_anonymous_page_is_kept_as_long_as_the_node_says(proxy: Proxy) -> None:
    first = proxy.get("/long")
    second = proxy.get("/long")
    assert (first[0], first[1]["x-cache-status"]) == (200, "MISS")
    assert (second[0], second[1]["x-cache-status"], second[2]) == (200, "HIT", first[2])
    assert proxy.node.hits("/long") == 1


def test_signed_in_readers_and_tokens_always_reach_a_node(proxy: Proxy) -> None:
    proxy.get("/long")
    before = proxy.node.hits("/long")
    session = proxy.get("/long", Cookie="sessionid=abc")
    token = proxy.get("/long", Authorization="Bearer xyz")
    assert session[1]["x-cache-status"] == "BYPASS"
    assert token[1]["x-cache-status"] == "BYPASS"
    assert proxy.node.hits("/long") == before + 2
    # and what they were answered is not what anonymous readers get next
    assert proxy.get("/long")[2] != session[2]


def test_without_a_cache_header_when_private_or_setting_a_cookie_nothing_is_kept(
    proxy: Proxy,
) -> None:
    for path in ("/plain", "/private", "/cookie"):
        answers = [proxy.get(path) for _ in range(2)]
        assert [a[1]["x-cache-status"] for a in answers] == ["MISS", "MISS"]
        assert proxy.node.hits(path) == 2
        assert answers[0][2] != answers[1][2]


def test_an_expired_copy_is_revalidated_with_its_etag(proxy: Proxy) -> None:
    first = proxy.get("/cached")
    assert first[1]["x-cache-status"] == "MISS"
    time.sleep(2.1)  # past the node's max-age=1 (nginx counts whole seconds)
    again = proxy.get("/cached")
    assert (again[0], again[1]["x-cache-status"], again[2]) == (200, "REVALIDATED", first[2])
    assert proxy.node.requests[-1][1]["if-none-match"] == '"v1"'


def test_the_proxy_sets_the_forwarded_headers_itself(proxy: Proxy) -> None:
    proxy.get(
        "/plain",
        **{
            "X-Forwarded-Proto": "http",
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Host": "evil.example",
        },
    )
    headers = proxy.node.requests[-1][1]
    assert headers["host"] == "example.org"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert "x-forwarded-host" not in headers


def test_a_live_stream_is_passed_on_as_it_is_written(proxy: Proxy) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", proxy.port, timeout=10, context=context)
    try:
        connection.request("GET", "/s/commons/live", headers={"Host": "example.org"})
        response = connection.getresponse()
        assert response.status == 200
        # The node is still holding the stream open: this line came through unbuffered.
        assert response.readline() == b"retry: 2000\n"
        assert not proxy.node.stream_may_end.is_set()
        proxy.node.stream_may_end.set()
        assert response.read().endswith(b": bye\n\n")
        assert "x-cache-status" not in {name.lower() for name, _ in response.getheaders()}
    finally:
        connection.close()
