"""Keyboard-only helpers for browser journeys: no mouse, no page.click().

`Keyboard(page)` moves focus with Tab and Shift+Tab only and, at every stop,
checks that the focused element shows a visible focus indicator: some
computed outline, box-shadow, background, colour, border or underline on the
element, its ::before/::after, its label or its parent differs from how the
same element looked before it had focus (GOV.UK's yellow focus state on
links, the outline and shadow on buttons and inputs, the ring drawn on the
label of a hidden checkbox or radio). `assert_not_trapped` Tabs from where
focus is to the footer and on out of the page: focus is never trapped.

Targets are found with Playwright locators, but only to recognise them when
focus lands there; focus gets there by Tab and they are used by Enter,
Space and typing.
"""

import re

# Elements that can take focus from the keyboard (the browser decides the
# order; this list is only where unfocused looks are recorded).
FOCUSABLE = (
    "a[href], area[href], button, input:not([type=hidden]), select, textarea, "
    "summary, iframe, [tabindex], [contenteditable=''], [contenteditable=true]"
)

# The looks a focus indicator can change, for one element or pseudo-element.
_LOOK = r"""
(node, pseudo) => {
  const style = getComputedStyle(node, pseudo);
  if (pseudo && style.content === 'none') return null;
  for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') {
      return null;  // an invisible change is no indicator
    }
  }
  const rect = node.getBoundingClientRect();
  if (!pseudo && (rect.width < 2 || rect.height < 2)) return null;
  const get = (p) => style.getPropertyValue(p);
  // Only what can be seen: an outline with no style, width or colour draws
  // nothing, whatever its offset (GOV.UK adds a transparent one for Windows
  // high contrast mode beside its visible box-shadow).
  const clear = (colour) => colour === 'transparent' || /^rgba\(.*, 0\)$/.test(colour);
  const noOutline = get('outline-style') === 'none' ||
    parseFloat(get('outline-width')) === 0 || clear(get('outline-color'));
  const outline = noOutline ? 'none' : [get('outline-style'), get('outline-width'),
    get('outline-color'), get('outline-offset')].join(' ');
  const underline = get('text-decoration-line') === 'none'
    ? 'none' : [get('text-decoration-line'), get('text-decoration-thickness')].join(' ');
  const borders = ['top', 'right', 'bottom', 'left'].map((side) =>
    get(`border-${side}-style`) === 'none' || parseFloat(get(`border-${side}-width`)) === 0
      ? 'none' : [get(`border-${side}-width`), get(`border-${side}-color`)].join(' '));
  return [outline, get('box-shadow'), get('background-color'), get('color'),
          underline, ...borders].join('|');
}
"""

# An element's looks: itself, its pseudo-elements, what follows it (the label
# GOV.UK styles for a checkbox or radio), its parent (:focus-within) and its
# first descendants (the pseudo-button inside GOV.UK's file upload button).
_LOOKS = f"""
(el) => {{
  const look = {_LOOK};
  const parts = [[el, null], [el, '::before'], [el, '::after']];
  const next = el.nextElementSibling;
  if (next) parts.push([next, null], [next, '::before'], [next, '::after']);
  if (el.labels) el.labels.forEach((l) => parts.push([l, null], [l, '::before']));
  if (el.parentElement) parts.push([el.parentElement, null]);
  Array.from(el.querySelectorAll('*')).slice(0, 8).forEach((d) => parts.push([d, null]));
  return parts.map(([node, pseudo]) => look(node, pseudo));
}}
"""

_RECORD_UNFOCUSED = f"""
(selector) => {{
  const looks = {_LOOKS};
  if (!window.__kbUnfocused) window.__kbUnfocused = new Map();
  const store = window.__kbUnfocused;
  for (const el of document.querySelectorAll(selector)) {{
    if (el !== document.activeElement && !el.contains(document.activeElement)) {{
      store.set(el, looks(el));
    }}
  }}
}}
"""

_DESCRIBE_FOCUS = f"""
() => {{
  const looks = {_LOOKS};
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {{
    return {{outside: true, text: 'the page itself (focus left the content)'}};
  }}
  const before = window.__kbUnfocused && window.__kbUnfocused.get(el);
  const now = looks(el);
  const changed = !!before && now.some((look, i) => look !== null && look !== before[i]);
  const rect = el.getBoundingClientRect();
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
  const name = (el.getAttribute('aria-label') || label || el.textContent ||
                el.value || el.getAttribute('title') || '').replace(/\\s+/g, ' ').trim();
  if (!window.__kbIds) window.__kbIds = new Map();
  if (!window.__kbIds.has(el)) window.__kbIds.set(el, window.__kbIds.size + 1);
  return {{
    outside: false,
    uid: window.__kbIds.get(el),
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: `${{el.tagName.toLowerCase()}}${{el.id ? '#' + el.id : ''}} "${{name.slice(0, 60)}}"`,
    recorded: !!before,
    changed,
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 &&
      rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth,
    inFooter: !!el.closest('footer'),
  }};
}}
"""

_IS_FOCUSED = "el => el === document.activeElement"

# Tab moves inside a native date input: day, month, year, calendar button.
_MAX_STOPS_IN_ONE_ELEMENT = 4


class FocusProblem(AssertionError):
    pass


class Keyboard:
    """Drive one page by keyboard only and check every focus stop."""

    def __init__(self, page):
        self.page = page
        self.stops = []

    # --- moving focus -------------------------------------------------------

    def tab(self, *, backwards=False):
        """Press Tab (or Shift+Tab) and check where focus landed."""
        self.page.evaluate(_RECORD_UNFOCUSED, FOCUSABLE)
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        stop = self.page.evaluate(_DESCRIBE_FOCUS)
        self.stops.append(stop)
        if stop["outside"]:
            return stop
        if not stop["onScreen"]:
            raise FocusProblem(f"focus is on {stop['text']}, which is not on screen")
        if not stop["recorded"]:
            # Its looks without focus are unknown, so no comparison is
            # possible: an element FOCUSABLE does not match, or one made
            # between the recording and the key press.
            raise FocusProblem(
                f"focus reached {stop['text']}, which was not seen without focus"
            )
        if not stop["changed"]:
            raise FocusProblem(
                f"{stop['text']} has focus but looks the same as without it: "
                "no visible focus indicator"
            )
        return stop

    def tab_to(self, locator, *, backwards=False, max_stops=120):
        """Tab until `locator` has focus; every stop on the way is checked."""
        target = locator.first
        target.wait_for(state="attached")
        start = len(self.stops)
        for _ in range(max_stops):
            self.tab(backwards=backwards)
            if target.evaluate(_IS_FOCUSED):
                return self.stops[-1]
        passed = "\n  ".join(s["text"] for s in self.stops[start:])
        raise FocusProblem(
            f"{max_stops} presses of {'Shift+' if backwards else ''}Tab never "
            f"reached {locator}; focus went:\n  {passed}"
        )

    def skip_to_main(self):
        """From the top of a freshly loaded page: the skip link, then Enter."""
        self.tab_to(self.page.get_by_role("link", name="Skip to main content"))
        self.press("Enter")

    def assert_not_trapped(self, *, max_stops=250):
        """Tab from here to the footer and out of the page, never stuck.

        Returns the stops in order. Fails if an element keeps focus, if focus
        goes round a loop that misses the footer, or if it never gets there
        (the page's own content is Tabbed through once, so no element should
        take focus more often than a date input's parts).
        """
        start = len(self.stops)
        reached_footer = False
        visits = {}
        for _ in range(max_stops):
            stop = self.tab()
            if stop["outside"]:
                if reached_footer:
                    break
                continue  # the browser's own controls before the page
            visits[stop["uid"]] = visits.get(stop["uid"], 0) + 1
            if visits[stop["uid"]] > _MAX_STOPS_IN_ONE_ELEMENT:
                raise FocusProblem(f"focus keeps coming back to {stop['text']}")
            if stop["inFooter"]:
                reached_footer = True
            elif reached_footer:
                break  # focus moved on past the footer (round to the top)
        else:
            where = "\n  ".join(s["text"] for s in self.stops[start:][-15:])
            raise FocusProblem(
                f"{max_stops} presses of Tab did not get past the footer; "
                f"the last stops:\n  {where}"
            )
        # And back again: Shift+Tab returns into the footer.
        back = self.tab(backwards=True)
        if back["outside"] or not back["inFooter"]:
            raise FocusProblem(f"Shift+Tab from the end went to {back['text']}")
        return self.stops[start:]

    # --- acting -------------------------------------------------------------

    def press(self, key):
        self.page.keyboard.press(key)

    def type(self, text):
        self.page.keyboard.type(text)


def sign_in_by_keyboard(page, live_url, email, password):
    """Sign in on the sign-in page using only the keyboard."""
    page.goto(f"{live_url}/accounts/login/")
    keys = Keyboard(page)
    keys.skip_to_main()
    keys.tab_to(page.get_by_label("Email"))
    keys.type(email)
    keys.tab_to(page.get_by_label("Password"))
    keys.type(password)
    keys.tab_to(page.get_by_role("button", name=re.compile("^Sign in$", re.I)))
    with page.expect_navigation():
        keys.press("Enter")
    return keys
