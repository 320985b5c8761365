"""fetch() against a real local HTTP server: every way a source can misbehave."""

from __future__ import annotations

import gzip
import ipaddress
import socket
from typing import Any

import pytest

from newsroom.sources import fetching
from newsroom.sources.fetching import (
    JSON_CONTENT_TYPES,
    FetchError,
    fetch,
    next_delay,
)
from newsroom.sources.statuspage import parse_summary
from newsroom.sources.types import ParseError

from .conftest import ScriptedServer, read_fixture

JSON = {"Content-Type": "application/json; charset=utf-8"}


def test_a_good_source_returns_its_body_and_validators(
    http_server: ScriptedServer,
) -> None:
    body = read_fixture("statuspage-summary-major.json")
    url = http_server.route(
        "/api/v2/summary.json",
        body=body,
        headers={
            **JSON,
            "ETag": '"v1"',
            "Last-Modified": "Thu, 02 Apr 2020 20:37:08 GMT",
        },
    )

    result = fetch(url, allow_private=True, expected_content_types=JSON_CONTENT_TYPES)

    assert result.status == 200
    assert result.body == body
    assert result.etag == '"v1"'
    assert result.last_modified == "Thu, 02 Apr 2020 20:37:08 GMT"
    assert parse_summary(result.body)["indicator"] == "major"


def test_unchanged_source_answers_304_and_no_body_is_downloaded(
    http_server: ScriptedServer,
) -> None:
    def conditional(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**JSON, "ETag": '"v1"'}, b"{}"

    url = http_server.route("/summary.json", handler=conditional)

    first = fetch(url, allow_private=True)
    again = fetch(url, etag=first.etag, last_modified="x", allow_private=True)

    assert first.status == 200 and first.body == b"{}"
    assert again.status == 304
    assert again.body is None
    assert http_server.requests[1].headers["if-modified-since"] == "x"


def test_a_server_error_is_a_retryable_fetch_error(http_server: ScriptedServer) -> None:
    url = http_server.route("/summary.json", status=503, body=b"upstream down")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True)

    assert caught.value.retryable is True
    assert caught.value.status == 503
    assert "503" in caught.value.message


def test_not_found_is_a_permanent_error_that_points_at_the_url(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/gone.json", status=404, body=b"nope")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True)

    assert caught.value.retryable is False
    assert "check the source's URL" in caught.value.message


def test_an_html_page_where_json_was_expected_is_refused(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route(
        "/summary.json",
        body=read_fixture("not-a-feed.html"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, expected_content_types=JSON_CONTENT_TYPES)

    assert "text/html" in caught.value.message
    assert "application/json" in caught.value.message
    assert caught.value.retryable is False


def test_an_oversized_response_is_refused_from_its_declared_length(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/big.json", body=b"x" * 5000, headers=JSON)

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, max_bytes=1000)

    assert caught.value.message.startswith("response larger than 1,000 bytes")


def test_an_oversized_response_without_length_is_cut_off_while_streaming(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route(
        "/big.json", chunks=[b"x" * 800] * 10, headers=JSON, send_length=False
    )

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, max_bytes=1000)

    assert "larger than 1,000 bytes" in caught.value.message


def test_a_compressed_bomb_is_measured_after_decompression(
    http_server: ScriptedServer,
) -> None:
    bomb = gzip.compress(b"0" * 5_000_000)
    assert len(bomb) < 10_000  # small on the wire
    url = http_server.route(
        "/bomb.json", body=bomb, headers={**JSON, "Content-Encoding": "gzip"}
    )

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, max_bytes=1_000_000)

    assert "larger than 1,000,000 bytes" in caught.value.message


def test_a_slow_server_times_out_with_a_retryable_error(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/slow.json", delay=2.0, body=b"{}")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, timeout=0.3)

    assert "timed out after 0.3 s" in caught.value.message
    assert caught.value.retryable is True


def test_a_server_dripping_bytes_cannot_outlast_the_time_budget(
    http_server: ScriptedServer,
) -> None:
    # Each byte arrives well within the read timeout; only the total budget
    # catches this.
    url = http_server.route(
        "/drip.json", chunks=[b" "] * 40, chunk_delay=0.05, send_length=False
    )

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, timeout=0.5)

    assert "timed out" in caught.value.message


def test_a_response_cut_short_is_reported_as_incomplete(
    http_server: ScriptedServer,
) -> None:
    full = read_fixture("statuspage-summary-major.json")
    url = http_server.route(
        "/summary.json", body=full[:2048], declared_length=len(full), headers=JSON
    )

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True)

    assert "incomplete response" in caught.value.message
    assert caught.value.retryable is True


def test_truncated_json_served_in_full_fails_in_the_parser_not_the_fetcher(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route(
        "/summary.json",
        body=read_fixture("statuspage-summary-truncated.json"),
        headers=JSON,
    )

    body = fetch(url, allow_private=True).body
    with pytest.raises(ParseError) as caught:
        parse_summary(body or b"")

    assert "invalid or truncated JSON" in str(caught.value)


def test_an_unreachable_host_is_a_retryable_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now.

    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/summary.json", allow_private=True, timeout=2)

    assert "could not reach 127.0.0.1" in caught.value.message
    assert caught.value.retryable is True


def test_loopback_addresses_are_refused_without_allow_private(
    http_server: ScriptedServer,
) -> None:
    url = http_server.route("/summary.json", body=b"{}")

    with pytest.raises(FetchError) as caught:
        fetch(url)

    assert "private or reserved address" in caught.value.message
    assert caught.value.retryable is False
    assert http_server.requests == []  # refused before connecting


def test_a_name_resolving_to_loopback_is_refused(http_server: ScriptedServer) -> None:
    http_server.route("/summary.json", body=b"{}")

    with pytest.raises(FetchError) as caught:
        fetch(f"http://localhost:{http_server.port}/summary.json")

    assert "localhost resolves to a private or reserved address" in caught.value.message
    assert http_server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert fetching._address_is_public(address) is False


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"]
)
def test_public_addresses_are_public(address: str) -> None:
    assert fetching._address_is_public(address) is True


@pytest.fixture
def loopback_counts_as_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the local server stand in for a public host, and make "status.test"
    resolve to it, so the address checks themselves run.

    "status.test" answers only its first lookup, like a rebinding DNS server
    whose second answer differs: a fetcher that resolves again after checking
    fails to connect.
    """
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def fake_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "status.test":
            lookups.append(host)
            if len(lookups) > 1:
                raise socket.gaierror(socket.EAI_NONAME, "rebound")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        if host == "metadata.test":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(
        fetching,
        "_address_is_public",
        lambda address: (
            ipaddress.ip_address(address) == ipaddress.ip_address("127.0.0.1")
        ),
    )


def test_the_connection_goes_to_the_checked_address_with_the_original_host(
    http_server: ScriptedServer, loopback_counts_as_public: None
) -> None:
    http_server.route("/summary.json", body=b"{}", headers=JSON)

    result = fetch(f"http://status.test:{http_server.port}/summary.json")

    assert result.body == b"{}"
    assert result.url == f"http://status.test:{http_server.port}/summary.json"
    # Reached 127.0.0.1 (the checked address) while naming the real host.
    assert http_server.requests[0].headers["host"] == f"status.test:{http_server.port}"


def test_a_redirect_to_a_private_address_is_refused(
    http_server: ScriptedServer, loopback_counts_as_public: None
) -> None:
    http_server.route(
        "/summary.json",
        status=302,
        headers={"Location": "http://metadata.test/latest/meta-data/"},
    )

    with pytest.raises(FetchError) as caught:
        fetch(f"http://status.test:{http_server.port}/summary.json")

    assert "metadata.test resolves to a private or reserved address" in str(
        caught.value
    )
    assert caught.value.retryable is False


def test_relative_redirects_are_followed(http_server: ScriptedServer) -> None:
    http_server.route("/old.json", status=301, headers={"Location": "/new.json"})
    http_server.route("/new.json", body=b"[]", headers=JSON)

    result = fetch(http_server.url("/old.json"), allow_private=True)

    assert result.body == b"[]"
    assert result.url.endswith("/new.json")


def test_a_redirect_loop_stops_after_five_hops(http_server: ScriptedServer) -> None:
    http_server.route("/loop", status=302, headers={"Location": "/loop"})

    with pytest.raises(FetchError) as caught:
        fetch(http_server.url("/loop"), allow_private=True)

    assert "more than 5 redirects" in caught.value.message
    assert len(http_server.requests) == 6


def test_non_http_urls_are_refused() -> None:
    with pytest.raises(FetchError) as caught:
        fetch("file:///etc/passwd")

    assert "not an http(s) URL" in caught.value.message


def test_backoff_doubles_per_failure_up_to_the_cap() -> None:
    full = [next_delay(n, 60, 3600, rand=lambda: 1.0) for n in range(1, 9)]

    assert full == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert next_delay(0, 60, 3600) == 0.0
    assert next_delay(10_000, 60, 3600, rand=lambda: 1.0) == 3600


def test_backoff_jitter_never_goes_below_half_the_step() -> None:
    assert next_delay(3, 60, 3600, rand=lambda: 0.0) == 120
    delays = {next_delay(3, 60, 3600) for _ in range(50)}
    assert all(120 <= delay <= 240 for delay in delays)
    assert len(delays) > 1  # jittered, not lockstep
