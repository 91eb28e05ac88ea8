import re

from django.core import mail

from tests.factories import TEST_PASSWORD


def sign_in(page, live_url, email, password=TEST_PASSWORD):
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_load_state()


def last_link_in_mail(pattern):
    """The first URL matching `pattern` in the newest email sent."""
    assert mail.outbox, "no email was sent"
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, f"no link matching {pattern!r} in: {body}"
    return match.group(0)
