"""Words on the pages every site starts with (used by migration 0002 and
`home.site_setup.ensure_site`)."""

ACCESSIBILITY = [
    ("heading", "How accessible this service is"),
    (
        "paragraph",
        "<p>We want as many people as possible to be able to use Joined Up. You "
        "should be able to change colours and fonts, zoom in to 300% without the "
        "text spilling off the screen, get around using just a keyboard and use "
        "a screen reader.</p><p>We are building towards the Web Content "
        "Accessibility Guidelines (WCAG) 2.2 at level AA and check pages in a "
        "real browser with automated tools. The full audit of every page has not "
        "been completed yet, so this service is partially compliant.</p>",
    ),
    ("heading", "Reporting a problem"),
    (
        "paragraph",
        "<p>If you find a problem that is not listed here, or you need "
        "information in a different format, email "
        '<a href="mailto:accessibility@joinedup.local">accessibility@joinedup.local</a>. '
        "We reply within 5 working days.</p>",
    ),
]
PRIVACY = [
    ("heading", "What we keep about you"),
    (
        "paragraph",
        "<p>Your name, work email address, organisation and job title, and what "
        "you post. We use them to run the community and to send the emails you "
        "chose. We never sell them or use them for advertising.</p>",
    ),
    ("heading", "Who can see it"),
    (
        "paragraph",
        "<p>Other signed-in members see your name, organisation and job title. "
        "What you post in a closed or secret space is seen only by that space's "
        "members.</p>",
    ),
]

SITE_PAGES = [
    ("accessibility", "Accessibility statement", ACCESSIBILITY),
    ("privacy", "Privacy", PRIVACY),
]

HOME_INTRO = (
    "<p>Joined Up is where people who work across government find each "
    "other, share what worked and what did not, and solve shared problems "
    "together. It is open to departments, agencies, councils, the NHS, the "
    "devolved administrations and their partners.</p>"
)

EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)


def stream_body(items):
    import uuid

    return [
        {"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in items
    ]
