"""What the portal's accessibility tests found when they were last run: the figures the
accessibility policy page (/portal/accessibility/) publishes.

Kept by hand. After a run of tests/browser/test_portal_accessibility.py — with
KYOKAN_A11Y_REPORT=<file> it appends each case's figures (axe rules passed, violations,
results needing review, controls reached by Tab) as JSON lines — copy the date, the versions
and the figures here. That file's test_policy_page_states_what_was_tested fails when the pages
and reading modes listed here are not the ones it checks, or when AXE_VERSION is not the
axe-core that axe_playwright_python bundles; the figures themselves are what the run printed,
not computed by this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

TESTED_ON = date(2026, 12, 1)
AXE_VERSION = "4.12.1"
AXE_PACKAGE = "axe-playwright-python 0.1.8"
BROWSER = "Chromium 156 (Debian 12)"
DRIVER = "Playwright 1.65"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
MODES = ("normal", "large", "ruby")
MODE_LABELS = {
    "normal": _("Normal"),
    "large": _("Large text and high contrast"),
    "ruby": _("Furigana"),
}
TEST_FILE = "tests/browser/test_portal_accessibility.py"


@dataclass(frozen=True)
class PageResult:
    page: str  # the page's id in the test file
    label: str
    path: str  # the address tested, ids written as <id>
    modes: tuple[str, ...]
    rules_passed: int  # axe rules passed: the fewest over the modes
    violations: int  # axe violations, all modes together
    controls: int  # controls reached by Tab (normal mode)
    problems: int  # problems found by the keyboard, zoom and phone checks, all modes

    @property
    def mode_labels(self) -> list[str]:
        return [MODE_LABELS[m] for m in self.modes]

    @property
    def issues(self) -> int:
        return self.violations + self.problems

    @property
    def passed(self) -> bool:
        return self.violations == 0 and self.problems == 0


ALL = MODES
NORMAL = ("normal",)

# fmt: off
PAGES: tuple[PageResult, ...] = (
    # page id, what it is, address, modes, axe rules passed, violations, controls, problems
    PageResult("home", _("Front page"),
               "/portal/", ALL, 26, 0, 43, 0),
    PageResult("documents", _("DX definition and strategy"),
               "/portal/documents/", ALL, 24, 0, 23, 0),
    PageResult("document", _("A decided document and its history"),
               "/portal/documents/<id>/", ALL, 26, 0, 24, 0),
    PageResult("version", _("A decided version of a document"),
               "/portal/versions/<id>/", ALL, 24, 0, 29, 0),
    PageResult("initiatives", _("Initiatives (list, with its filter)"),
               "/portal/initiatives/", ALL, 27, 0, 49, 0),
    PageResult("initiative", _("An initiative: progress, KPIs, budget, cost and value"),
               "/portal/initiatives/<id>/", ALL, 28, 0, 27, 0),
    PageResult("surveys", _("Surveys"),
               "/portal/surveys/", ALL, 24, 0, 23, 0),
    PageResult("survey-results", _("A survey's published results"),
               "/portal/surveys/<id>/results/", ALL, 26, 0, 23, 0),
    PageResult("meetings", _("Meetings"),
               "/portal/meetings/", ALL, 24, 0, 28, 0),
    PageResult("meeting-upcoming", _("A meeting to come"),
               "/portal/meetings/<id>/", ALL, 26, 0, 22, 0),
    PageResult("meeting-minutes", _("A meeting with its minutes and decisions"),
               "/portal/meetings/<id>/", ALL, 26, 0, 22, 0),
    PageResult("procedures", _("Online procedures"),
               "/portal/procedures/", ALL, 26, 0, 24, 0),
    PageResult("participation", _("Ideas and conversations"),
               "/portal/participation/", ALL, 24, 0, 25, 0),
    PageResult("reading-help", _("Reading help"),
               "/portal/reading/", ALL, 24, 0, 21, 0),
    PageResult("accessibility", _("Web accessibility policy (this page)"),
               "/portal/accessibility/", ALL, 28, 0, 22, 0),
    PageResult("opendata", _("Open data catalogue"),
               "/opendata/", ALL, 28, 0, 69, 0),
    PageResult("opendata-dataset", _("A dataset: metadata, columns, code tables"),
               "/opendata/<dataset>/", ALL, 29, 0, 43, 0),
    PageResult("conversations", _("Conversations open to citizens"),
               "/conversations/public/", ALL, 25, 0, 24, 0),
    PageResult("conversation", _("A conversation: voting on statements"),
               "/conversations/public/<id>/", ALL, 26, 0, 29, 0),
    PageResult("conversation-report", _("A conversation's published results"),
               "/conversations/public/<id>/report/", ALL, 28, 0, 23, 0),
    PageResult("ideas", _("Published ideas"),
               "/ideas/public/", ALL, 24, 0, 22, 0),
    PageResult("idea", _("A published idea"),
               "/ideas/public/<id>/", ALL, 26, 0, 22, 0),
    PageResult("idea-new", _("Form: send an idea"),
               "/ideas/public/new/", ALL, 26, 0, 31, 0),
    PageResult("idea-report", _("Form: report an idea"),
               "/ideas/public/<id>/report/", ALL, 25, 0, 24, 0),
    PageResult("public-survey", _("Form: answer a public survey"),
               "/s/<link>/", NORMAL, 15, 0, 12, 0),
    PageResult("public-documents", _("Adopted documents (downloads)"),
               "/public/documents/", NORMAL, 17, 0, 5, 0),
    PageResult("public-document", _("An adopted document (downloads)"),
               "/public/documents/<id>/", NORMAL, 22, 0, 6, 0),
    PageResult("public-version", _("An adopted version (downloads)"),
               "/public/versions/<id>/", NORMAL, 21, 0, 10, 0),
)
# fmt: on

# Without JavaScript: every page above opened with JavaScript turned off; on the portal's
# pages (every page with the reading modes) both switches were turned on and off again
# from the keyboard.
NO_SCRIPT = {"pages": 28, "switch_pages": 24, "switch_passed": 24}

# What the tests found that is not fixed yet (shown on the page as known problems).
KNOWN_PROBLEMS = (
    _(
        "The API's documentation for developers (/api/docs, linked from the open data page; "
        "Swagger UI, a component from outside) was not part of these tests. A check with the "
        "same axe-core rules found that it declares its language and has a title, but that "
        "some of Swagger UI's texts have too little colour contrast and that its operation "
        "headers put a button inside another button."
    ),
)


def case_count() -> int:
    """Pages × the reading modes each was checked in."""
    return sum(len(p.modes) for p in PAGES)


def summary() -> dict:
    return {
        "pages": len(PAGES),
        "cases": case_count(),
        "violations": sum(p.violations for p in PAGES),
        "problems": sum(p.problems for p in PAGES),
        "failing_pages": sum(1 for p in PAGES if not p.passed),
    }
