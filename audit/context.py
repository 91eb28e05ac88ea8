"""The client address of the request being served, for entries written deep in
a service that was never handed the request."""

import ipaddress

from asgiref.local import Local
from django.conf import settings

_current = Local()


def client_ip(request):
    """The client's IP address, or None when it cannot be told.

    Behind reverse proxies REMOTE_ADDR is the nearest proxy. Each trusted
    proxy appends the address it saw to X-Forwarded-For, so with
    TRUSTED_PROXY_COUNT = n the client is the n-th entry from the right;
    anything further left was written by the client and is not trusted.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def current_ip():
    return getattr(_current, "ip", None)


class AuditContextMiddleware:
    """Remember the client address while a request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _current.ip = client_ip(request)
        try:
            return self.get_response(request)
        finally:
            del _current.ip
