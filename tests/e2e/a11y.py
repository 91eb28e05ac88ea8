"""Accessibility checks in a real browser: axe-core, target size, reflow at
320px and at 200% zoom, screenshots.

`audit(page, name)` runs axe-core (from npm, node_modules/axe-core) against
the page already loaded, for WCAG 2.0/2.1/2.2 A and AA rules (colour
contrast and axe's own target-size rule among them), checks target size
(SC 2.5.8) itself, and records the result in test-output/accessibility/;
screenshots of the same page at desktop and phone widths go to
test-output/screenshots/ for reviewers. `audit_zoomed(page, name)` checks a
page opened in a ZOOM_200 context.
"""

import json
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = Path(settings.BASE_DIR) / "test-output"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
# Rules these checks lean on; the audit fails if axe stops running one.
RELIED_ON = {"color-contrast", "image-alt", "label", "link-name", "target-size"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
NARROW = {"width": 320, "height": 640}
# 200% zoom on a 1280 by 900 window. Chromium zooms a page by doubling
# devicePixelRatio and halving the CSS viewport, so at 200% the page is laid
# out in 640 CSS pixels, media queries and all. A browser context with a
# 640 CSS px viewport and device_scale_factor 2 is exactly that. CSS `zoom`
# on the root element is not: media queries and viewport units would still
# see 1280 pixels, so the page would not take its narrow layout.
ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}


# Findings reviewed by a person and accepted, each with its reason. Keep short.
REVIEWED = {
    # GOV.UK Frontend's enhanced file upload names its button with
    # aria-labelledby="<label> <comma> <button>", so the accessible name holds
    # the visible text plus the field's label; axe's heuristic still flags it.
    # GOV.UK tested the pattern with NVDA, JAWS and VoiceOver (govuk-frontend
    # pull requests 5652 and 5755).
    "label-content-name-mismatch": "button.govuk-file-upload-button",
}


def _reviewed(page, violation):
    selector = REVIEWED.get(violation["id"])
    if not selector:
        return False
    return all(
        page.locator(", ".join(node["target"])).evaluate(
            "(el, sel) => el.matches(sel)", selector
        )
        for node in violation["nodes"]
    )


def _axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the devtools protocol: our Content Security
        # Policy (rightly) refuses an injected inline <script>.
        page.evaluate(AXE.read_text())
    return page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )


def _overflows(page):
    """What sticks out when text would need horizontal scrolling, else None."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= root.clientWidth + 1) return null;
          let worst = null;
          for (const el of document.body.querySelectorAll('*')) {
            const right = el.getBoundingClientRect().right;
            if (right > root.clientWidth + 1 && (!worst || right > worst.right)) {
              worst = {right, tag: el.tagName.toLowerCase(), cls: el.className,
                       text: (el.textContent || '').trim().slice(0, 40)};
            }
          }
          return worst ? `${worst.tag}.${worst.cls} "${worst.text}"` : 'unknown';
        }"""
    )


# WCAG 2.2 SC 2.5.8 Target Size (Minimum), AA. Each visible target (a link,
# button, form control, summary or role=button) is at least 24 by 24 CSS
# pixels, or is one of the SC's exceptions we can tell from the page:
# - inline: a link in a sentence, its height set by the line of text
#   around it (its block holds words that are not inside another target);
# - spacing: a 24 px circle centred on its box meets no other target and no
#   other undersized target's circle.
# The "equivalent", "user agent control" and "essential" exceptions need a
# person's judgement; none is claimed, so every target must pass on its own.
TARGETS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[role=button]"
)
MIN_TARGET = 24

_SMALL_TARGETS = r"""
([selector, min]) => {
  const shown = (el) => {
    if (el.disabled) return false;
    const r = el.getBoundingClientRect();
    // GOV.UK's visually hidden text and skip link are 1px boxes, clipped.
    if (r.width <= 1 || r.height <= 1) return false;
    const s = getComputedStyle(el);
    return s.visibility === 'visible';
  };
  const targets = Array.from(document.querySelectorAll(selector)).filter(shown);
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const owner = node.parentElement;
      if (owner.closest(selector)) continue;
      if (owner.closest('.govuk-visually-hidden')) continue;
      if (/[A-Za-z0-9]/.test(node.textContent)) return true;
    }
    return false;
  };
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value ||
                  el.name || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  };
  const boxes = targets.map((el) => {
    const r = el.getBoundingClientRect();
    return {el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2,
            small: r.width < min - 0.5 || r.height < min - 0.5};
  });
  const circleMeetsBox = (a, b) => {
    const dx = Math.max(b.r.left - a.cx, 0, a.cx - b.r.right);
    const dy = Math.max(b.r.top - a.cy, 0, a.cy - b.r.bottom);
    return dx * dx + dy * dy < (min / 2) * (min / 2);
  };
  const problems = [];
  for (const a of boxes) {
    if (!a.small || inSentence(a.el)) continue;
    const clash = boxes.find((b) => b !== a && !a.el.contains(b.el) &&
      !b.el.contains(a.el) && (circleMeetsBox(a, b) ||
      (b.small && Math.hypot(a.cx - b.cx, a.cy - b.cy) < min)));
    if (clash) {
      problems.push({target: describe(a.el),
        size: `${Math.round(a.r.width)}x${Math.round(a.r.height)}`,
        near: describe(clash.el)});
    }
  }
  return problems;
}
"""


def small_targets(page):
    """Targets under 24 by 24 CSS px that no exception covers, as problems."""
    found = page.evaluate(_SMALL_TARGETS, [TARGETS, MIN_TARGET])
    return [
        f"target {f['target']} is {f['size']} CSS px and crowds {f['near']}"
        for f in found
    ]


def audit(page, name, *, screenshots=True):
    """Check the loaded page; return a list of problems (empty when it passes)."""
    problems = []
    url = page.url
    result = _axe(page)
    ran = set(page.evaluate("(t) => axe.getRules(t).map((r) => r.ruleId)", TAGS))
    for rule in sorted(RELIED_ON - ran):
        problems.append(f"{name}: axe did not run its {rule} rule")
    blocking = [
        v
        for v in result["violations"]
        if v["impact"] in BLOCKING and not _reviewed(page, v)
    ]
    for violation in blocking:
        targets = [node["target"] for node in violation["nodes"][:3]]
        problems.append(
            f"{name}: axe {violation['id']} ({violation['impact']}) at {targets}"
        )
    title = page.title()
    if not title or "Joined Up" not in title:
        problems.append(f"{name}: page title {title!r} does not say where you are")
    if page.locator("h1").count() != 1:
        problems.append(f"{name}: expected exactly one h1")
    if page.locator("main").count() != 1:
        problems.append(f"{name}: expected one <main> landmark")
    problems += [f"{name}: {problem}" for problem in small_targets(page)]
    if screenshots:
        shots = OUTPUT / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)
    viewport = page.viewport_size
    page.set_viewport_size(NARROW)
    overflow = _overflows(page)
    if overflow:
        problems.append(f"{name}: scrolls sideways at 320 CSS pixels ({overflow})")
    # Phone layouts drop some spacing (GOV.UK's lists), so targets again.
    problems += [f"{name} at 320px: {p}" for p in small_targets(page)]
    if screenshots:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(viewport or DESKTOP)
    if screenshots:
        _record(name, url, result, problems)
    return problems


def audit_zoomed(page, name, *, screenshots=True):
    """Check a page loaded in a ZOOM_200 context: nothing scrolls sideways and
    targets are still big enough. Returns problems (empty when it passes)."""
    zoom = page.evaluate("() => [window.innerWidth, window.devicePixelRatio]")
    if zoom != [640, 2]:
        return [f"{name}: not at 200% zoom (CSS width, pixel ratio: {zoom})"]
    problems = []
    overflow = _overflows(page)
    if overflow:
        problems.append(f"{name}: scrolls sideways at 200% zoom ({overflow})")
    problems += [f"{name} at 200% zoom: {p}" for p in small_targets(page)]
    if screenshots:
        shots = OUTPUT / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}-zoom-200.png"), full_page=True)
    return problems


def _record(name, url, result, problems):
    folder = OUTPUT / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(
        json.dumps(
            {
                "page": name,
                "url": url,
                "rules_run_tags": TAGS,
                "violations": [
                    {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
                    for v in result["violations"]
                ],
                "problems": problems,
            },
            indent=2,
        )
    )
