"""The portfolio's charts: milestones drawn on the roadmap (SVG and table), the bubble chart
small enough for a thousand initiatives, and one matplotlib set-up (core.charts) shared
with the surveys instead of private names imported across apps."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from kyokan.apps.core import charts as core_charts
from kyokan.apps.portfolio import charts, services

from .conftest import FY

pytestmark = pytest.mark.django_db

APPS = Path(__file__).resolve().parents[2] / "kyokan" / "apps"


def test_milestones_are_drawn_on_the_roadmap_and_listed_in_its_table(
    sysadmin, make_initiative, bureau, client_as
):
    initiative = make_initiative(bureau, title="書かない窓口")
    services.milestone_create(actor=sysadmin, initiative=initiative, title="窓口開設",
                              due_on=date(FY, 10, 1))  # fmt: skip
    services.milestone_create(actor=sysadmin, initiative=initiative, title="要綱改正",
                              due_on=date(FY, 4, 1), done=True)  # fmt: skip
    page = client_as("staff").get(reverse("portfolio:roadmap")).content.decode()
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="roadmap"') :]
    svg = svg[: svg.index("</svg>")]
    marks = re.findall(r'<use class="milestone" href="#roadmap-milestone-(\w+)" '
                       r'x="([\d.]+)" y="([\d.]+)"><title>([^<]*)</title>', svg)  # fmt: skip
    drawn = {title.split("（")[0]: (kind, float(x)) for kind, x, _y, title in marks}
    assert drawn["窓口開設"][0] == "planned" and drawn["要綱改正"][0] == "reached"
    # 1 April is the start of the fiscal year's column; 1 October is 183 of 365 days on.
    years = sorted({int(y) for y in re.findall(r"\((\d{4})\)</text>", svg)})
    column = charts.LABEL_W + (FY - years[0]) * charts.YEAR_W
    assert drawn["要綱改正"][1] == pytest.approx(column, abs=0.1)
    assert drawn["窓口開設"][1] == pytest.approx(column + 183 / 365 * charts.YEAR_W, abs=0.1)
    assert "令和" in dict((t.split("（")[0], t) for *_r, t in marks)["窓口開設"]
    # The legend, and the table (the text alternative) lists both with their state.
    assert svg.count("roadmap-milestone-reached") >= 3  # the definition, the mark, the legend
    table = page[page.index('id="h-roadmap-table"') :]
    assert "窓口開設（" in table and "要綱改正（" in table
    assert table.index("要綱改正") < table.index("窓口開設")  # by date


def test_a_roadmap_without_milestones_has_no_legend(make_initiative, bureau, client_as):
    make_initiative(bureau)
    page = client_as("staff").get(reverse("portfolio:roadmap")).content.decode()
    assert '<use class="milestone"' not in page


def test_milestone_position_within_the_fiscal_year():
    first = FY - 2
    start = charts.LABEL_W + 2 * charts.YEAR_W
    assert charts.milestone_x(date(FY, 4, 1), first) == start
    assert charts.milestone_x(date(FY + 1, 3, 31), first) == pytest.approx(
        start + charts.YEAR_W * 364 / 365
    )
    assert charts.milestone_x(date(FY + 1, 4, 1), first) == start + charts.YEAR_W


def test_a_thousand_bubbles_stay_small():
    points = [(1_000_000 + 997 * n, 2_000_000 + 991 * n, 500_000 + 40_000 * n, f"取組{n}")
              for n in range(1000)]  # fmt: skip
    svg = charts._bubble(points, "bubble", "費用と価値", "費用", "価値")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert len(svg) < 250_000  # one marker per initiative was 720 kB
    assert svg.count("<use ") >= 1000  # every initiative is still drawn
    assert {charts.bubble_size(n) for n in (0, 10**6, 5 * 10**6, 10**7, 2 * 10**7, 10**9)} == {
        20,
        100,
        200,
        400,
        600,
    }


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]


def test_the_chart_set_up_is_cores_and_no_app_borrows_private_chart_helpers():
    for path in APPS.glob("*/charts.py"):
        for module, names in _imports(path):
            if module.startswith("kyokan.apps.") and module != "kyokan.apps.core.charts":
                private = [n for n in names if n.startswith("_")]
                assert not private, f"{path}: imports {private} from {module}"
    for app in ("surveys", "portfolio"):
        source = (APPS / app / "charts.py").read_text()
        assert "core_charts" in source
        assert "def _figure_class" not in source and "threading.Lock" not in source


def test_core_charts_give_the_same_svg_for_the_same_chart():
    def draw():
        fig = core_charts.figure_class()(figsize=(3, 2))
        fig.add_subplot().bar(["$x$ 案", "DX"], [1, 2])
        return fig

    first = core_charts.svg_markup(draw, uid="a", description="説明 <&>")
    assert first == core_charts.svg_markup(draw, uid="a", description="説明 <&>")
    assert 'aria-label="説明 &lt;&amp;&gt;"' in first and "<?xml" not in first
    ids = re.findall(r'\sid="([^"]+)"', first)
    assert ids and all(i.startswith("a-") for i in ids)
    assert core_charts.png_bytes(draw, dpi=50)[:4] == b"\x89PNG"


def test_a_bubble_chart_of_far_apart_cost_and_value_keeps_its_layout():
    import warnings

    points = [(100_000 * (n + 1), 90_000_000 * (n + 1), 1_000_000, f"取組{n}") for n in range(5)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied" fails the test
        svg = charts._bubble(points, "far", "費用と価値", "費用", "価値")
    assert svg.startswith("<svg")
