"""The preview's HTTP server: the built site, plus the reload script and its event stream.

It answers only requests addressed to itself (the Host header names the address it listens on),
so a web page elsewhere cannot reach it through DNS rebinding; the event stream refuses other
origins. It sends site-relative URLs only, never a path on the editor's computer.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .state import PreviewState

PREFIX = "/__sitegen/"
# Files of this package the preview serves under PREFIX, with their media types.
PREVIEW_FILES = {"reload.js": "text/javascript; charset=utf-8", "overlay.css": "text/css; charset=utf-8"}
# An event stream sends a comment this often, so a closed tab ends its thread.
KEEPALIVE_SECONDS = 10.0
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
# Shown where the site has no page yet (the first build failed): it carries the reload script.
NO_PAGE_YET = b"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>sitegen preview</title>" \
              b"<p>There is no page here (yet).</p></html>"  # fmt: skip


@dataclass(frozen=True, slots=True)
class Address:
    """Where the preview listens, and which Host headers and origins therefore name it."""

    host: str
    port: int

    def hosts(self) -> frozenset[str]:
        names = {"127.0.0.1", "localhost", "[::1]", self.literal(self.host)}
        with_port = {f"{name}:{self.port}" for name in names}
        return frozenset(with_port | (names if self.port == 80 else set()))

    def accepts_host(self, header: str) -> bool:
        header = header.strip().lower()
        if header in self.hosts():
            return True
        # Listening on every interface: any IP address of this computer, never a name (names are
        # what DNS rebinding turns against a local server).
        if self.host in WILDCARD_HOSTS:
            name, _, port = header.rpartition(":")
            return port == str(self.port) and _is_ip(name.strip("[]"))
        return False

    def accepts_origin(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme == "http" and not parts.path and self.accepts_host(parts.netloc)

    def url(self) -> str:
        shown = "127.0.0.1" if self.host in WILDCARD_HOSTS else self.literal(self.host)
        return f"http://{shown}:{self.port}/"

    @staticmethod
    def literal(host: str) -> str:
        return f"[{host}]" if ":" in host else host.lower()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Address, site: Path, state: PreviewState) -> None:
        self.address_family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
        self.preview_address = address
        self.site = site
        self.state = state
        super().__init__((address.host, address.port), partial(PreviewHandler, directory=str(site)))

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that goes away mid-answer (a tab closed, a page reloaded) is no error to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewHandler(SimpleHTTPRequestHandler):
    server: PreviewHTTPServer

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        address = self.server.preview_address
        if not address.accepts_host(self.headers.get("Host", "")):
            self.send_plain(HTTPStatus.MISDIRECTED_REQUEST, "this preview answers only at " + address.url())
            return
        path = urlsplit(self.path).path
        if not path.startswith(PREFIX):
            self.send_site_file(path, with_body)
            return
        origin = self.headers.get("Origin")
        cross_site = self.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site")
        if cross_site or (origin is not None and not address.accepts_origin(origin)):
            self.send_plain(HTTPStatus.FORBIDDEN, "only the preview's own pages may ask this")
            return
        name = path[len(PREFIX) :]
        if name == "events" and with_body:
            self.send_events()
        elif name in PREVIEW_FILES:
            body = resources.files(__package__).joinpath(name).read_bytes()
            self.send_body(HTTPStatus.OK, PREVIEW_FILES[name], body, with_body)
        else:
            self.send_plain(HTTPStatus.NOT_FOUND, "not found")

    def send_site_file(self, path: str, with_body: bool) -> None:
        # The generation first: a page newer than it reloads once more, never once too few.
        generation = self.server.state.generation
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = file / "index.html"
        status = HTTPStatus.OK
        try:
            body = file.read_bytes() if file.is_file() else None
            if body is None:
                status = HTTPStatus.NOT_FOUND
                missing = self.server.site / "404.html"
                body = missing.read_bytes() if missing.is_file() else NO_PAGE_YET
                file = missing
        except OSError:  # swapped away by a rebuild this very moment: the reload follows
            status, body, file = HTTPStatus.NOT_FOUND, NO_PAGE_YET, Path("missing.html")
        media_type = self.guess_type(str(file))
        if media_type == "text/html":
            body = with_reload_script(body, generation)
            media_type = "text/html; charset=utf-8"
        self.send_body(status, media_type, body, with_body)

    def send_events(self) -> None:
        """A Server-Sent Events stream: the state now, then after every build."""
        query = parse_qs(urlsplit(self.path).query)
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = -1
        state = self.server.state
        page = in_view(query.get("page", [""])[0])
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if page:
            state.opened(page)
        try:
            while True:
                event = state.event(since)
                self.wfile.write(b"data: " + json.dumps(event.as_json()).encode() + b"\n\n")
                self.wfile.flush()
                while state.event(since).version == event.version:
                    if not state.wait(event.version, KEEPALIVE_SECONDS):
                        return  # the server is stopping
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        finally:
            if page:
                state.closed(page)

    def send_body(self, status: HTTPStatus, media_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def send_plain(self, status: HTTPStatus, text: str) -> None:
        self.send_body(status, "text/plain; charset=utf-8", (text + "\n").encode(), self.command != "HEAD")

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds and problems, not every request


def in_view(url: str) -> str | None:
    """The page a tab says it shows, when it is a plausible site URL (`/de/x/`, `/404.html`).

    Only ever used to choose which pages a save renders first, never as a path on disk; anything
    else (a parent folder, a backslash, a control character, a very long name) is ignored.
    """
    if not url.startswith("/") or len(url) > 512 or "\\" in url or "//" in url:
        return None
    parts = url.split("/")[1:]
    if any(part in (".", "..") or not part.isprintable() for part in parts):
        return None
    return url


def with_reload_script(html: bytes, generation: int) -> bytes:
    """The page with the preview's script, a file of the same origin the site's CSP allows."""
    tag = f'<script src="{PREFIX}reload.js" data-generation="{generation}" defer></script>'.encode()
    lower = html.lower()
    at = lower.find(b"</head>")
    if at < 0:
        at = lower.find(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]
