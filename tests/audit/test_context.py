"""The client address on an entry: from the request being served, trusting
X-Forwarded-For only as far as the configured proxies."""

import pytest
from django.test import Client, RequestFactory

from audit.context import client_ip, current_ip
from audit.models import AuditEntry


@pytest.mark.parametrize(
    "hops, remote, forwarded, expected",
    [
        (0, "198.51.100.7", "", "198.51.100.7"),
        # No trusted proxy: a client's own X-Forwarded-For is ignored.
        (0, "198.51.100.7", "6.6.6.6", "198.51.100.7"),
        # One proxy (nginx) appends the address it saw: the last entry.
        (1, "172.18.0.5", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "172.18.0.5", "203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # Fewer entries than proxies: the header is not what we expect.
        (2, "172.18.0.5", "203.0.113.9", "172.18.0.5"),
        (1, "172.18.0.5", "2001:db8::1", "2001:db8::1"),
        # Not an address at all.
        (1, "172.18.0.5", "not-an-address", None),
        (0, "", "", None),
    ],
)
def test_client_ip(settings, hops, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


@pytest.mark.django_db
def test_an_act_over_http_records_the_address(settings, reply, facilitator):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="172.18.0.5")
    client.force_login(facilitator)
    response = client.post(
        f"/forums/posts/{reply.pk}/hide/",
        {"reason": "Spam link"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="forums.post.hide")
    assert (entry.actor, entry.ip_address) == (facilitator, "203.0.113.9")
    # The address is forgotten once the response is made.
    assert current_ip() is None
