"""Accessibility of every page an anonymous visitor reaches on the citizen portal (issue 14):
the portal's pages, the open data catalogue, the public consensus conversations, the public
ideas, and the public pages of other apps the portal links to — with the demo city loaded and
the URLs read from its database.

Each portal page is checked in each reading mode the portal offers (normal, large text and
high contrast, furigana), each other page as it is (they have no reading modes):

- axe-core (the copy bundled with axe_playwright_python) with the rules tagged wcag2a,
  wcag2aa, wcag21a and wcag21aa: no violation of any impact;
- keyboard only, in a 1280 × 800 window: Tab from the top of the page reaches every link,
  button, form field and focusable region, once each and in document order, each with a
  visible focus indicator (an outline of 2 px or more, or a ring, that the element does not
  have unfocused), scrolled into view; after the last one focus leaves the page (nothing
  traps it); the skip link appears when focused and takes focus to the main content;
- 200 % zoom (a 1280 px window at 200 % is a 640 × 400 CSS px viewport) and a phone
  (375 × 667): the page does not scroll sideways, no text, control or image lies outside the
  viewport or is cut off by a box that hides overflow, no text overflows its button or badge,
  and every box that scrolls sideways (a wide table) can take keyboard focus;
- with JavaScript turned off: the page works, and on portal pages the two reading switches,
  used from the keyboard, turn their mode on and off again on the same page.

Problems that come from templates this file's owner may not change (another app's, or the
shared templates) are listed in KNOWN with the exact finding (none at the last run); their
cases are marked ``xfail(strict=True)`` and fail unless exactly those problems are found.
Pages of other apps that should offer the reading switches and do not are listed in
NO_READING_HELP (none since the ideas pages use the portal's layout): their cases are strict
xfails that fail only on the missing switches, after every other check has passed.

Set KYOKAN_A11Y_REPORT=<file> to append each case's figures (rules passed, violations,
controls reached) as JSON lines: kyokan/apps/portal/accessibility_results.py, which the
accessibility policy page shows, is updated by hand from such a run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from kyokan.apps.portal import accessibility_results
from kyokan.apps.portal.views import LARGE_COOKIE, RUBY_COOKIE

AXE = Axe()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Only violations come with all their elements; passes and incomplete results are counted by
# rule (the figures of the policy page).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 800}
ZOOM_200 = {"width": 640, "height": 400}  # 1280 × 800 at 200 %
PHONE = {"width": 375, "height": 667}
REPORT = os.environ.get("KYOKAN_A11Y_REPORT")

MODES = {
    "normal": {},
    "large": {LARGE_COOKIE: "1"},
    "ruby": {RUBY_COOKIE: "1"},
}


# --- the pages, from the demo's database ---------------------------------------------------


def _strategy():
    from kyokan.apps.documents import public

    return public.strategy()


def _initiative():
    """The public initiative with the most to show: KPIs, budget lines, progress."""
    from kyokan.apps.portfolio import public

    rows = list(public.initiatives())
    kpis = {i: public.kpis(initiative_ids=[i.pk]).count() for i in rows}
    budget = {i: public.budget_lines().filter(initiative=i).count() for i in rows}
    return max(rows, key=lambda i: (kpis[i] > 0, budget[i] > 0, kpis[i] + budget[i], -i.pk))


def _meeting_with_minutes():
    from kyokan.apps.meetings import public

    return public.with_minutes().first()


def _upcoming_meeting():
    from kyokan.apps.meetings import public

    return public.upcoming().first()


def _survey_with_results():
    from kyokan.apps.surveys import public

    return public.with_results().first()


def _open_public_survey_url():
    from kyokan.apps.surveys import public

    return public.answer_url(public.open_surveys().first())


def _dataset():
    """The dataset with the most code tables (its page shows them all)."""
    from kyokan.apps.opendata import registry

    return max(registry.datasets(), key=lambda d: len(d.code_tables())).slug


def _conversation():
    from kyokan.apps.deliberation import public

    return public.public_conversations().first()


def _idea():
    from kyokan.apps.deliberation import public

    return public.public_ideas().first()


# Page id → a function giving its path (called inside the test, on the demo's database).
PORTAL_PAGES = {
    "home": lambda: reverse("portal:home"),
    "documents": lambda: reverse("portal:documents"),
    "document": lambda: reverse("portal:document", args=[_strategy().document_id]),
    "version": lambda: reverse("portal:version", args=[_strategy().pk]),
    "initiatives": lambda: reverse("portal:initiatives"),
    "initiative": lambda: reverse("portal:initiative", args=[_initiative().pk]),
    "surveys": lambda: reverse("portal:surveys"),
    "survey-results": lambda: reverse("portal:survey_results", args=[_survey_with_results().pk]),
    "meetings": lambda: reverse("portal:meetings"),
    "meeting-upcoming": lambda: reverse("portal:meeting", args=[_upcoming_meeting().pk]),
    "meeting-minutes": lambda: reverse("portal:meeting", args=[_meeting_with_minutes().pk]),
    "procedures": lambda: reverse("portal:procedures"),
    "participation": lambda: reverse("portal:participation"),
    "reading-help": lambda: reverse("portal:reading_help"),
    "accessibility": lambda: reverse("portal:accessibility"),
    "opendata": lambda: reverse("opendata:catalogue"),
    "opendata-dataset": lambda: reverse("opendata:dataset", args=[_dataset()]),
    "conversations": lambda: reverse("deliberation:public_conversations"),
    "conversation": lambda: reverse("deliberation:public_conversation", args=[_conversation().pk]),
    "conversation-report": lambda: reverse(
        "deliberation:public_conversation_report", args=[_conversation().pk]
    ),
    "ideas": lambda: reverse("deliberation:public_ideas"),
    "idea": lambda: reverse("deliberation:public_idea", args=[_idea().pk]),
    "idea-new": lambda: reverse("deliberation:public_create"),
    "idea-report": lambda: reverse("deliberation:public_report", args=[_idea().pk]),
}

# Public pages without the portal's reading modes: the pages of other apps the portal links
# to (a public survey's answer form, the adopted documents' download pages).
OTHER_PAGES = {
    "public-survey": _open_public_survey_url,
    "public-documents": lambda: reverse("documents:public_list"),
    "public-document": lambda: reverse("documents:public_document", args=[_strategy().document_id]),
    "public-version": lambda: reverse("documents:public_version", args=[_strategy().pk]),
}

# (page, mode) → the exact problems found on it that come from templates outside the portal
# and open data apps (see the module docstring).
KNOWN: dict[tuple[str, str], set[str]] = {}

# Pages of other apps that should offer the portal's reading help but do not: page → reason.
NO_READING_HELP: dict[str, str] = {}

CASES = [(page, mode) for page in PORTAL_PAGES for mode in MODES] + [
    (page, "normal") for page in OTHER_PAGES
]


class KnownProblems(Exception):
    """Raised when a case finds exactly the problems listed for it in KNOWN."""


class NoReadingHelp(Exception):
    """Raised when a page listed in NO_READING_HELP has no reading switches."""


def _case_params():
    params = []
    for page, mode in CASES:
        reasons, raises = [], []
        if (page, mode) in KNOWN:
            reasons += sorted(KNOWN[(page, mode)])
            raises.append(KnownProblems)
        if mode == "normal" and page in NO_READING_HELP:
            reasons.append(NO_READING_HELP[page])
            raises.append(NoReadingHelp)
        marks = [pytest.mark.xfail(strict=True, raises=tuple(raises), reason="; ".join(reasons))]
        params.append(pytest.param(page, mode, id=f"{page}-{mode}", marks=marks if raises else []))
    return params


def _path(page: str) -> str:
    return {**PORTAL_PAGES, **OTHER_PAGES}[page]()


def _open(new_page, live_server, path: str, mode: str, **options):
    page = new_page(**options)
    cookies = [
        {"name": name, "value": value, "url": live_server.url}
        for name, value in MODES[mode].items()
    ]
    if cookies:
        page.context.add_cookies(cookies)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("main h1").first).to_be_visible()
    if mode == "large":
        expect(page.locator("html")).to_have_class(re.compile(r"\bportal--large\b"))
    if mode == "ruby":
        expect(page.locator("main ruby").first).to_be_attached()
    return page


# --- axe ------------------------------------------------------------------------------------


def axe_problems(page) -> tuple[list[str], dict]:
    results = AXE.run(page, options=AXE_OPTIONS).response
    problems = []
    for v in results["violations"]:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            problems.append(f"axe {v['id']} ({v['impact']}) at {target}")
    figures = {
        "axe": results["testEngine"]["version"],
        "passes": len(results["passes"]),
        "violations": len(results["violations"]),
        "incomplete": len(results["incomplete"]),
    }
    return problems, figures


# --- keyboard -------------------------------------------------------------------------------

DESCRIBE_JS = r"""(el) => {
  if (!el) return 'nothing';
  if (el === document.body) return 'the page itself (body)';
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  for (const a of ['href', 'name', 'value', 'type']) {
    const v = el.getAttribute(a);
    if (v && !(a === 'value' && el.type === 'hidden')) s += `[${a}="${v.slice(0, 60)}"]`;
  }
  const clone = el.cloneNode(true);
  clone.querySelectorAll('rt, rp').forEach((n) => n.remove());
  const text = (clone.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return text ? `${s} "${text}"` : s;
}"""

# Every element Tab should reach, in document order: links, buttons, fields (one per radio
# group: the checked one, else the first), summaries, and anything with tabindex >= 0; the
# focus of each is recorded by a listener as Tab moves it.
KEYBOARD_SETUP_JS = r"""() => {
  const selector = 'a[href], area[href], button, input, select, textarea, iframe, ' +
    'details > summary:first-of-type, [tabindex], [contenteditable=""], [contenteditable="true"]';
  const style = (el) => {
    const cs = getComputedStyle(el);
    return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow, cs.backgroundColor]
      .join('|');
  };
  const candidates = [];
  const radios = new Map();
  for (const el of document.querySelectorAll(selector)) {
    if (el.matches(':disabled, input[type=hidden]') || el.closest('[inert]')) continue;
    const t = el.getAttribute('tabindex');
    if (t !== null && parseInt(t, 10) < 0) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.matches('input[type=radio]') && el.name) {
      const form = el.form ? [...document.forms].indexOf(el.form) : -1;
      const key = `${form}|${el.name}`;
      const group = radios.get(key);
      if (!group) {
        radios.set(key, {first: el, checked: el.checked ? el : null});
        candidates.push(key);
      } else if (el.checked && !group.checked) group.checked = el;
      continue;
    }
    candidates.push(el);
  }
  const expected = candidates.map((c) => {
    if (typeof c !== 'string') return c;
    const g = radios.get(c);
    return g.checked || g.first;
  });
  window.__a11y = {expected, unfocused: expected.map(style), log: []};
  if (!window.__a11yListening) {
    window.__a11yListening = true;
    document.addEventListener('focusin', (e) => {
      const el = e.target;
      const r = el.getBoundingClientRect();
      window.__a11y.log.push({
        el, style: style(el), focusVisible: el.matches(':focus-visible'),
        outlineStyle: getComputedStyle(el).outlineStyle,
        outlineWidth: parseFloat(getComputedStyle(el).outlineWidth) || 0,
        outlineColor: getComputedStyle(el).outlineColor,
        boxShadow: getComputedStyle(el).boxShadow,
        inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
      });
    }, true);
  }
  return expected.length;
}"""

KEYBOARD_RESULT_JS = (
    r"""() => {
  const describe = """
    + DESCRIBE_JS
    + r""";
  const {expected, unfocused, log} = window.__a11y;
  const problems = [];
  for (let i = 0; i < expected.length; i++) {
    if (!log[i] || log[i].el !== expected[i]) {
      problems.push(`keyboard: Tab ${i + 1} should reach ${describe(expected[i])}, ` +
                    `focus went to ${describe(log[i] && log[i].el)}`);
      break;
    }
    const e = log[i];
    const transparent = /rgba\([^)]*,\s*0\)$/.test(e.outlineColor) ||
                        e.outlineColor === 'transparent';
    const ring = (e.outlineStyle !== 'none' && e.outlineWidth >= 2 && !transparent) ||
                 (e.boxShadow && e.boxShadow !== 'none');
    if (!e.focusVisible || !ring || e.style === unfocused[i])
      problems.push(`keyboard: no visible focus indicator on ${describe(e.el)}`);
    if (!e.inView) problems.push(`keyboard: ${describe(e.el)} has focus but is not in view`);
  }
  const last = document.activeElement;
  if (expected.length && !(last === document.body || last === expected[0] || last === null))
    problems.push(`keyboard: after the last control focus stays on ${describe(last)}`);
  return {problems, controls: expected.length};
}"""
)

SKIP_LINK_JS = (
    r"""() => {
  const describe = """
    + DESCRIBE_JS
    + r""";
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  return {
    isSkip: el.matches('a[href="#main"]'), what: describe(el),
    shown: r.width > 10 && r.height > 10 && r.top >= 0 && r.left >= 0,
  };
}"""
)

AFTER_SKIP_JS = (
    r"""() => {
  const describe = """
    + DESCRIBE_JS
    + r""";
  const main = document.querySelector('main');
  const first = window.__a11y.expected.find((el) => main.contains(el) ||
    (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {
    onMain: document.activeElement === main, hash: location.hash,
    first: describe(first), now: describe(document.activeElement),
    ok: document.activeElement === first,
  };
}"""
)


START_FROM_THE_TOP_JS = """() => {
  window.scrollTo(0, 0);
  document.body.tabIndex = -1;
  document.body.focus();
  document.body.removeAttribute('tabindex');
}"""


def tab_walk(page) -> tuple[list[str], int]:
    """Tab from the top of the page through every control and one step beyond."""
    count = page.evaluate(KEYBOARD_SETUP_JS)
    for _ in range(count + 1):
        page.keyboard.press("Tab")
    result = page.evaluate(KEYBOARD_RESULT_JS)
    return result["problems"], result["controls"]


def skip_link_problems(page) -> list[str]:
    """The skip link: first stop, shown when focused, takes focus to the main content, and
    the next Tab reaches the first control after the start of main. Tab starts again from the
    top of the page (focus put on the body for a moment, as after loading it)."""
    problems = []
    page.evaluate(START_FROM_THE_TOP_JS)
    page.evaluate(KEYBOARD_SETUP_JS)
    page.keyboard.press("Tab")
    skip = page.evaluate(SKIP_LINK_JS)
    if not skip["isSkip"]:
        return [f"keyboard: the first Tab reaches {skip['what']}, not the skip link"]
    if not skip["shown"]:
        problems.append("keyboard: the skip link is not shown when it has focus")
    page.keyboard.press("Enter")
    after = page.evaluate(AFTER_SKIP_JS)
    if not after["onMain"] or after["hash"] != "#main":
        problems.append(f"keyboard: the skip link leaves focus on {after['now']}")
    page.keyboard.press("Tab")
    after = page.evaluate(AFTER_SKIP_JS)
    if not after["ok"]:
        problems.append(
            f"keyboard: Tab after the skip link reaches {after['now']}, not {after['first']}"
        )
    return problems


# --- 200 % zoom and phone -------------------------------------------------------------------

LAYOUT_JS = (
    r"""() => {
  const describe = """
    + DESCRIBE_JS
    + r""";
  const problems = [];
  const root = document.documentElement;
  const vw = root.clientWidth;
  if (root.scrollWidth > vw + 1)
    problems.push(`the page scrolls sideways (${root.scrollWidth} px in ${vw} px)`);
  // Visually hidden on purpose (the skip link, captions for screen readers).
  const hiddenAway = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.position === 'absolute' &&
          ((cs.clipPath && cs.clipPath !== 'none') || (cs.clip && cs.clip !== 'auto'))) return true;
    }
    return false;
  };
  const scrollers = new Set();
  const cutOff = (rect, from) => {
    for (let a = from; a && a !== root && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const box = a.getBoundingClientRect();
      if (cs.overflowX === 'auto' || cs.overflowX === 'scroll') {
        if (a.scrollWidth > a.clientWidth + 1) scrollers.add(a);
        return null;  // reachable by scrolling this box
      }
      const outX = rect.left < box.left - 1 || rect.right > box.right + 1;
      const outY = rect.top < box.top - 1 || rect.bottom > box.bottom + 1;
      if (/hidden|clip/.test(cs.overflowX) && outX) return `cut off at the side by ${describe(a)}`;
      if (/hidden|clip/.test(cs.overflowY) && outY)
        return `cut off at the top or bottom by ${describe(a)}`;
    }
    if (rect.right > vw + 1 || rect.left < -1)
      return `outside the ${vw} px viewport ` +
             `(${Math.round(rect.left)} to ${Math.round(rect.right)} px)`;
    return null;
  };
  const reported = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (reported.has(el) || !el.checkVisibility({visibilityProperty: true})) continue;
    if (hiddenAway(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width === 0 || rect.height === 0) continue;
      const why = cutOff(rect, el);
      if (why) {
        reported.add(el);
        problems.push(`text "${node.textContent.trim().slice(0, 30)}" in ${describe(el)}: ${why}`);
        break;
      }
    }
  }
  const boxes = 'img, svg, canvas, video, iframe, input, select, textarea, button, .button, ' +
                '.badge, table';
  for (const el of document.querySelectorAll(boxes)) {
    if (el.parentElement.closest('svg') || reported.has(el)) continue;
    if (!el.checkVisibility({visibilityProperty: true}) || hiddenAway(el)) continue;
    const why = cutOff(el.getBoundingClientRect(), el.parentElement);
    if (why) { reported.add(el); problems.push(`${describe(el)}: ${why}`); continue; }
    if (el.matches('button, .button, .badge') &&
        (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2))
      problems.push(`the text of ${describe(el)} overflows its box`);
  }
  for (const box of scrollers) {
    const inner = 'a[href], button, input, select, textarea, [tabindex="0"]';
    if (box.tabIndex < 0 && !box.querySelector(inner))
      problems.push(`${describe(box)} scrolls sideways but cannot take keyboard focus`);
  }
  return problems;
}"""
)


def layout_problems(page) -> list[str]:
    problems = []
    for name, size in (("200% zoom", ZOOM_200), ("phone", PHONE)):
        page.set_viewport_size(size)
        problems += [f"{name}: {p}" for p in page.evaluate(LAYOUT_JS)]
    page.set_viewport_size(DESKTOP)
    return problems


def _report(page_id: str, mode: str, path: str, figures: dict, problems: list[str]):
    if REPORT:
        with Path(REPORT).open("a", encoding="utf-8") as out:
            row = {"page": page_id, "mode": mode, "path": path, **figures, "problems": problems}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _settle(page_id: str, mode: str, problems: list[str], where: str):
    known = KNOWN.get((page_id, mode))
    if known is not None and set(problems) == known:
        raise KnownProblems("\n".join(problems))
    assert not problems, f"{len(problems)} problem(s) on {where}:\n" + "\n".join(problems)


# --- without JavaScript ---------------------------------------------------------------------


def _switch_button(page, name: str):
    form = f'header form[action="{reverse("portal:reading_switch")}"]'
    return page.locator(f'{form}:has(input[name="{name}"]) button[type=submit]')


def _switch(page, name: str):
    """Press the reading switch ``name`` (large / ruby) from the keyboard; it posts a form and
    the page comes back."""
    _switch_button(page, name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return _switch_button(page, name)


def check_without_javascript(new_page, live_server, page_id: str, path: str):
    """The page opens and shows its content with JavaScript off; on a page with the reading
    modes both switches, pressed from the keyboard, turn their mode on and then off again,
    and the page comes back to the same address each time."""
    page = _open(new_page, live_server, path, "normal", java_script_enabled=False)
    expect(page.locator("main")).not_to_be_empty()
    if page_id not in PORTAL_PAGES and page_id not in NO_READING_HELP:
        return
    if _switch_button(page, "large").count() + _switch_button(page, "ruby").count() != 2:
        raise NoReadingHelp(f"{path}: no reading switches")
    html = page.locator("html")
    large = _switch(page, "large")
    assert unquote(page.url) == f"{live_server.url}{path}"
    expect(html).to_have_class(re.compile(r"\bportal--large\b"))
    expect(large).to_have_attribute("aria-pressed", "true")
    ruby = _switch(page, "ruby")
    assert unquote(page.url) == f"{live_server.url}{path}"
    expect(html).to_have_class(re.compile(r"\bportal--ruby\b"))
    expect(ruby).to_have_attribute("aria-pressed", "true")
    expect(page.locator("main ruby").first).to_be_attached()
    _switch(page, "large")
    ruby = _switch(page, "ruby")
    assert unquote(page.url) == f"{live_server.url}{path}"
    expect(html).not_to_have_class(re.compile(r"\bportal--(large|ruby)\b"))
    expect(ruby).to_have_attribute("aria-pressed", "false")
    expect(page.locator("main ruby")).to_have_count(0)


@pytest.mark.parametrize(("page_id", "mode"), _case_params())
def test_page_passes_axe_keyboard_zoom_phone_and_works_without_javascript(
    new_page, live_server, demo, page_id, mode
):
    """One page in one reading mode: axe, keyboard, 200% zoom and phone; in the normal mode
    also the page without JavaScript (with its reading switches)."""
    path = _path(page_id)
    page = _open(new_page, live_server, path, mode, viewport=DESKTOP)
    problems, figures = axe_problems(page)
    keyboard, controls = tab_walk(page)
    problems += keyboard + layout_problems(page) + skip_link_problems(page)
    figures["controls"] = controls
    _report(page_id, mode, path, figures, problems)
    _settle(page_id, mode, problems, f"{path} ({mode})")
    if mode == "normal":
        check_without_javascript(new_page, live_server, page_id, path)


# --- the checks can fail --------------------------------------------------------------------


def test_the_checks_find_planted_problems(new_page, live_server, demo):
    """Guards the checks above: a control put first in the tab order, a focus ring removed,
    a focus trap, a wide block, text cut off, a wide table that cannot take focus, an image
    without alt text and a skip link that goes nowhere are each found."""
    page = _open(new_page, live_server, reverse("portal:reading_help"), "normal", viewport=DESKTOP)
    page.add_style_tag(content="#planted-ring:focus-visible { outline: none; box-shadow: none; }")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend', `
              <p><a id="planted-ring" href="#x">ring removed</a></p>
              <p><a id="planted-late" href="#y" tabindex="3">first in tab order</a></p>
              <div style="width: 2000px">a block wider than any phone</div>
              <p style="width: 5em; height: 1.2em; overflow: hidden">text that does not fit
                 in its small box at all</p>
              <div class="table-wrap"><table><tr><td style="white-space: nowrap">
                 a table far too wide for a phone, a table far too wide for a phone</td></tr>
              </table></div>
              <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="planted-alt">`)"""
    )
    axe, _ = axe_problems(page)
    assert any(p.startswith("axe image-alt") and "planted-alt" in p for p in axe), axe
    found, _ = tab_walk(page)
    assert any("Tab 1 " in p and "planted-late" in p for p in found), found
    page.evaluate("() => document.getElementById('planted-late').removeAttribute('tabindex')")
    page.evaluate("() => document.activeElement.blur()")
    found, _ = tab_walk(page)
    assert found == [
        'keyboard: no visible focus indicator on a#planted-ring[href="#x"] "ring removed"'
    ], found
    layout = layout_problems(page)
    assert any("the page scrolls sideways (" in p for p in layout), layout
    assert any("cut off" in p and "does not fit" in p for p in layout), layout
    assert any("scrolls sideways but cannot take keyboard focus" in p for p in layout), layout
    # A focus trap: Tab on the last link sends focus back to the one before.
    page.evaluate(
        """() => document.getElementById('planted-late').addEventListener('keydown', (e) => {
            if (e.key !== 'Tab') return;
            e.preventDefault();
            document.getElementById('planted-ring').focus();
        })"""
    )
    page.evaluate("() => document.activeElement.blur()")
    found, _ = tab_walk(page)
    assert any("should reach" in p or "focus stays on" in p for p in found), found

    # A skip link that goes nowhere.
    page.evaluate("() => document.querySelector('.skip-link').setAttribute('href', '#nowhere')")
    found = skip_link_problems(page)
    assert found and "not the skip link" in found[0], found


# --- the accessibility policy states what this file checks ---------------------------------


def test_policy_page_states_what_was_tested(new_page, live_server, demo):
    """The policy page's figures are hand-kept data (kyokan/apps/portal/accessibility_results.py):
    they must match this file's cases and the axe-core bundled with axe_playwright_python."""
    results = accessibility_results
    assert tuple(AXE_TAGS) == results.AXE_TAGS
    assert tuple(MODES) == results.MODES
    assert {row.page for row in results.PAGES} == {*PORTAL_PAGES, *OTHER_PAGES}
    assert results.case_count() == len(CASES)
    for row in results.PAGES:
        assert row.modes == (tuple(MODES) if row.page in PORTAL_PAGES else ("normal",)), row
    page = _open(new_page, live_server, reverse("portal:accessibility"), "normal")
    _, figures = axe_problems(page)
    assert figures["axe"] == results.AXE_VERSION
    main = page.locator("main")
    expect(main).to_contain_text(f"axe-core {figures['axe']}")
    expect(main).to_contain_text(results.TESTED_ON.isoformat())
    expect(main.locator("table#a11y-results tbody tr")).to_have_count(len(results.PAGES))
