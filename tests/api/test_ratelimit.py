"""Per-IP limits count the real client, also behind proxies, and cannot be forged."""

from django.test import RequestFactory

from cashloan.api.ratelimit import client_ip, hit


def request_with(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_without_proxies_remote_addr_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with("10.0.0.9", "1.2.3.4")) == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client claimed 6.6.6.6 itself; the proxy appended the real address
    assert client_ip(request_with("10.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_header_shorter_than_proxy_chain_falls_back(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with("10.0.0.1", "203.0.113.7")) == "10.0.0.1"


def test_fixed_window_counter():
    assert [hit("test:k", 2, 60) for _ in range(3)] == [True, True, False]
