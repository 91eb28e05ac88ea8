"""Words on the pages every site starts with (used by migration 0002 and
`home.site_setup.ensure_site`)."""

# The accessibility statement describes what the tests check
# (tests/e2e/test_accessibility.py, test_keyboard_journeys.py, a11y.py and
# docs/accessibility.md); change it with them. Existing sites get a new
# version through a data migration like home/0003, which replaces the text
# only where editors have not changed it.
ACCESSIBILITY_REVIEWED = "22 November 2026"
ACCESSIBILITY = [
    ("heading", "Using Joined Up"),
    (
        "paragraph",
        "<p>We want as many people as possible to be able to use Joined Up. "
        "You should be able to:</p><ul>"
        "<li>get around the whole service using just a keyboard</li>"
        "<li>zoom in up to 400% without the text spilling off the screen</li>"
        "<li>use a screen reader, which reads out new posts in a discussion "
        "without moving you, and pause those live updates</li>"
        "</ul>",
    ),
    ("heading", "How accessible this service is"),
    (
        "paragraph",
        "<p>This service is partially compliant with the "
        '<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility '
        "Guidelines version 2.2</a> (WCAG 2.2) AA standard, because of the "
        "issues listed below.</p>",
    ),
    ("heading", "What is not fully accessible"),
    (
        "paragraph",
        "<ul>"
        "<li>The editors' area, where editors review and publish case studies, "
        "is the Wagtail content management system's own interface. We have not "
        "tested it ourselves and it is outside the checks described below.</li>"
        "<li>Documents that members upload to spaces, such as PDFs and "
        "spreadsheets, are not checked and may not be accessible. If you need "
        "one in a different format, ask the person who uploaded it or email "
        "us.</li>"
        "<li>The ‘As at’ date on the case study form uses your browser's own "
        "date field rather than separate boxes for day, month and year. Some "
        "screen readers and speech recognition software find these fields hard "
        "to use. The date is optional.</li>"
        "<li>Automated checkers report that the ‘Choose file’ button on upload "
        "forms has a name that does not match its visible text. This is "
        "GOV.UK's file upload button: its name is the field's label followed "
        "by the visible text, and GOV.UK tested it with the JAWS, NVDA and "
        "VoiceOver screen readers, so we have accepted it.</li>"
        "<li>The service has not yet been audited by accessibility specialists "
        "or tested by disabled people using their own assistive "
        "technology.</li>"
        "</ul>",
    ),
    ("heading", "How we check this service"),
    (
        "paragraph",
        "<p>Every change to Joined Up is tested automatically in the Chromium "
        "web browser:</p><ul>"
        "<li>every type of page is checked with the axe-core accessibility "
        "engine against the WCAG 2.0, 2.1 and 2.2 rules at levels A and AA, "
        "including colour contrast</li>"
        "<li>every page is checked for a title, one main heading and a main "
        "area, and for buttons and links at least 24 by 24 pixels or with "
        "enough space around them (links within a sentence excepted)</li>"
        "<li>every page is checked at 320 pixels wide, the same as zooming to "
        "400% on a screen 1,280 pixels wide, and the main pages at 200% zoom, "
        "for text that would need scrolling sideways</li>"
        "<li>signing in, searching and opening a result, replying in a live "
        "discussion, uploading a document and submitting a case study are each "
        "done with just a keyboard; at every step the test checks that you can "
        "see where you are on the page and that you never get stuck</li>"
        "<li>editors cannot add an image without a text description of it</li>"
        "</ul>",
    ),
    ("heading", "Reporting a problem"),
    (
        "paragraph",
        "<p>If you find a problem that is not listed here, or you need "
        "information in a different format, email "
        '<a href="mailto:accessibility@joinedup.local">accessibility@joinedup.local</a>. '
        "Tell us the web address of the page and what went wrong. We reply "
        "within 5 working days.</p>",
    ),
    ("heading", "Enforcement procedure"),
    (
        "paragraph",
        "<p>The Equality and Human Rights Commission (EHRC) is responsible for "
        "enforcing the Public Sector Bodies (Websites and Mobile Applications) "
        "(No. 2) Accessibility Regulations 2018. If you are not happy with how "
        "we respond to your complaint, contact the "
        '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory '
        "and Support Service (EASS)</a>.</p>",
    ),
    ("heading", "When this statement was reviewed"),
    (
        "paragraph",
        f"<p>This statement was last reviewed on {ACCESSIBILITY_REVIEWED}.</p>",
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
