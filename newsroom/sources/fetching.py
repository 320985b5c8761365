"""Fetch a source URL safely: conditional GET, size cap, timeouts, no SSRF.

`fetch` is the only way the signal worker talks to the outside world. It:

- sends `If-None-Match` / `If-Modified-Since` and returns ``body=None`` on 304;
- streams the body and aborts past `max_bytes` (counted *after* gzip/brotli
  decoding, so a compressed bomb is caught too);
- bounds every network operation by `timeout` and the whole body download by
  the same budget, so a server dripping one byte at a time cannot hold a
  worker for long (worst case about twice `timeout`);
- refuses hosts that resolve to private, loopback, link-local, reserved,
  multicast or otherwise non-global addresses unless `allow_private`, and
  connects to the address it checked (the URL's host is pinned to that IP,
  with `Host` and TLS SNI kept), so DNS rebinding between check and connect
  cannot redirect it;
- follows at most `MAX_REDIRECTS` redirects by hand, checking each target;
- raises `FetchError(message, retryable=…)` with a message an editor can act
  on. `retryable` is True for trouble that usually passes (unreachable,
  timeout, 5xx, 429) and False for trouble that needs a person (404, wrong
  content type, oversized, forbidden address).

`next_delay` is the retry/backoff policy for failing sources.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

import httpx

__all__ = [
    "FEED_CONTENT_TYPES",
    "JSON_CONTENT_TYPES",
    "FetchError",
    "FetchResult",
    "fetch",
    "next_delay",
]

MAX_REDIRECTS = 5  # status pages redirect once or twice (http→https, apex→www)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Livedesk/1.0 (outage signals; +https://github.com/livedesk)"
JSON_CONTENT_TYPES = ("application/json",)
# Feeds are served under all of these in the wild, text/xml by Statuspage itself.
FEED_CONTENT_TYPES = (
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)


class FetchError(Exception):
    """A source could not be fetched; `message` says why in plain words.

    `retryable` tells the scheduler whether backing off and retrying is likely
    to help; `status` is the HTTP status when the server answered.
    """

    def __init__(
        self, message: str, *, retryable: bool, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FetchResult:
    """A successful (2xx or 304) answer; `body` is None on 304 Not Modified."""

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    elapsed_ms: float
    url: str


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = 2_000_000,
    allow_private: bool = False,
    expected_content_types: Collection[str] | None = None,
    accept_client_errors: bool = False,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET `url` under the safety rules in the module docstring.

    `expected_content_types` (media types such as ``"application/json"``)
    rejects any other declared type; a missing Content-Type is let through for
    the parser to judge. `accept_client_errors` returns 4xx answers instead of
    raising (probes treat a 4xx as "the server is up").
    """
    started = time.monotonic()
    own_client = client is None
    http = client or httpx.Client(
        follow_redirects=False, trust_env=False, headers={"User-Agent": USER_AGENT}
    )
    try:
        current = _parse_url(url)
        for _hop in range(MAX_REDIRECTS + 1):
            result = _fetch_once(
                http,
                current,
                etag=etag,
                last_modified=last_modified,
                timeout=timeout,
                max_bytes=max_bytes,
                allow_private=allow_private,
                expected_content_types=expected_content_types,
                accept_client_errors=accept_client_errors,
                started=started,
            )
            if isinstance(result, FetchResult):
                return result
            current = result  # a redirect target, checked on the next hop
        raise FetchError(
            f"more than {MAX_REDIRECTS} redirects fetching {url}", retryable=False
        )
    finally:
        if own_client:
            http.close()


def _fetch_once(
    http: httpx.Client,
    url: httpx.URL,
    *,
    etag: str | None,
    last_modified: str | None,
    timeout: float,
    max_bytes: int,
    allow_private: bool,
    expected_content_types: Collection[str] | None,
    accept_client_errors: bool,
    started: float,
) -> FetchResult | httpx.URL:
    """One request; returns a result, or the URL a redirect points to."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request_url, extensions = url, {}
    pinned = _checked_address(url, allow_private=allow_private, timeout=timeout)
    if pinned is not None:
        # Connect to the address we just checked; keep the name for Host and SNI.
        request_url = url.copy_with(host=pinned)
        headers["Host"] = url.netloc.decode("ascii")
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host

    try:
        with http.stream(
            "GET", request_url, headers=headers, timeout=timeout, extensions=extensions
        ) as response:
            status = response.status_code
            if status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(
                        f"{url} answered {status} without a Location", retryable=False
                    )
                return _parse_url(str(url.join(location)))
            if status == 304:
                return _result(response, url, body=None, started=started)
            _check_status(response, url, accept_client_errors=accept_client_errors)
            if 200 <= status < 300:
                _check_content_type(response, url, expected_content_types)
            body = _read_capped(
                response, url, max_bytes=max_bytes, timeout=timeout, started=started
            )
            return _result(response, url, body=body, started=started)
    except httpx.TimeoutException:
        raise FetchError(
            f"timed out after {timeout:g} s fetching {url}", retryable=True
        ) from None
    except httpx.RemoteProtocolError as error:
        # Typically the connection closed before Content-Length bytes arrived.
        raise FetchError(
            f"incomplete response from {url.host} ({error})", retryable=True
        ) from None
    except httpx.UnsupportedProtocol:
        raise FetchError(f"{url} is not an http(s) URL", retryable=False) from None
    except httpx.TransportError as error:
        raise FetchError(
            f"could not reach {url.host} ({type(error).__name__}: {error})",
            retryable=True,
        ) from None


def _check_status(
    response: httpx.Response, url: httpx.URL, *, accept_client_errors: bool
) -> None:
    status = response.status_code
    reason = response.reason_phrase or ""
    if status >= 500:
        raise FetchError(
            f"{url} answered {status} {reason}: the server is failing".replace(
                "  ", " "
            ),
            retryable=True,
            status=status,
        )
    if status == 429:
        raise FetchError(
            f"{url} answered 429: we are being rate-limited",
            retryable=True,
            status=status,
        )
    if 400 <= status < 500 and not accept_client_errors:
        raise FetchError(
            f"{url} answered {status} {reason}; check the source's URL".replace(
                "  ", " "
            ),
            retryable=False,
            status=status,
        )
    if status < 200 or (300 <= status < 400):
        raise FetchError(
            f"{url} answered unexpected {status}", retryable=False, status=status
        )


def _check_content_type(
    response: httpx.Response, url: httpx.URL, expected: Collection[str] | None
) -> None:
    if not expected:
        return
    declared = response.headers.get("Content-Type")
    if declared is None:
        return
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type not in {item.lower() for item in expected}:
        raise FetchError(
            f"{url} sent {media_type or 'no type'}, expected {' or '.join(expected)}",
            retryable=False,
            status=response.status_code,
        )


def _read_capped(
    response: httpx.Response,
    url: httpx.URL,
    *,
    max_bytes: int,
    timeout: float,
    started: float,
) -> bytes:
    too_large = FetchError(
        f"response larger than {max_bytes:,} bytes from {url}",
        retryable=False,
        status=response.status_code,
    )
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
        if time.monotonic() - started > timeout:
            raise FetchError(
                f"timed out after {timeout:g} s reading {url}", retryable=True
            )
    return b"".join(chunks)


def _result(
    response: httpx.Response, url: httpx.URL, *, body: bytes | None, started: float
) -> FetchResult:
    return FetchResult(
        status=response.status_code,
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        content_type=response.headers.get("Content-Type"),
        elapsed_ms=(time.monotonic() - started) * 1000,
        url=str(url),
    )


def _parse_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchError(
            f"{text!r} is not a valid URL ({error})", retryable=False
        ) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchError(f"{text!r} is not an http(s) URL", retryable=False)
    return url


def _checked_address(
    url: httpx.URL, *, allow_private: bool, timeout: float
) -> str | None:
    """The public IP to connect to for `url`, or None when any address is allowed.

    Every address the name resolves to must be public: a name answering with
    one public and one private address is refused rather than gambled on.
    """
    if allow_private:
        return None
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            f"could not resolve {host} ({error})", retryable=True
        ) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"could not resolve {host}", retryable=True)
    for address in addresses:
        if not _address_is_public(address):
            raise FetchError(
                f"refusing to fetch {url}: {host} resolves to a private or reserved "
                f"address ({address})",
                retryable=False,
            )
    return addresses[0]


def _address_is_public(address: str) -> bool:
    """True for globally routable unicast addresses only."""
    # Strip an IPv6 zone ("fe80::1%eth0"): link-local either way.
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
    return ip.is_global and not ip.is_multicast


def next_delay(
    consecutive_failures: int,
    base: float = 60.0,
    cap: float = 3600.0,
    *,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retrying a source that failed this many times in a row.

    Exponential (`base`, 2×base, 4×base, … up to `cap`) with "equal jitter":
    the delay is uniformly between half and all of that step, so sources that
    failed together do not retry in lockstep, yet never sooner than half the
    step. 0 failures → 0.0 (no backoff).
    """
    if consecutive_failures < 0:
        raise ValueError("consecutive_failures must be >= 0")
    if consecutive_failures == 0:
        return 0.0
    # Bounding the exponent keeps 2**n a float the multiplication cannot overflow.
    step = min(cap, base * 2.0 ** min(consecutive_failures - 1, 64))
    return step / 2 + rand() * step / 2
