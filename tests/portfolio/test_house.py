"""House rules for the portfolio: every public service is keyword-only and atomic; views
never write; the list shows the computed cost and value."""

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import reverse

from kyokan.apps.portfolio import services

SOURCE = Path(inspect.getfile(services)).read_text()
READS = {"saved_mapping", "import_check"}  # reads that live beside the writes they serve


def _public_functions():
    for node in ast.parse(SOURCE).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            yield node


@pytest.mark.parametrize("node", list(_public_functions()), ids=lambda n: n.name)
def test_services_are_keyword_only_and_atomic(node):
    assert not node.args.args, f"{node.name} takes positional arguments"
    if node.name in READS:
        return
    decorators = {ast.unparse(d) for d in node.decorator_list}
    assert "transaction.atomic" in decorators, node.name


def test_no_view_module_imports_the_models_to_write():
    views = Path(inspect.getfile(services)).parent / "views"
    for path in views.glob("*.py"):
        text = path.read_text()
        assert ".save(" not in text and ".objects.create(" not in text, path.name


@pytest.mark.django_db
def test_the_list_shows_the_computed_cost_and_value(client_as, make_initiative, bureau):
    make_initiative(bureau, initial_cost_yen=5_000_000, running_cost_yen=1_000_000)
    page = client_as("staff").get(reverse("portfolio:list")).content.decode()
    # 1,000,000 + 5,000,000 / 5 (the test city's default life) = 2,000,000
    assert "2,000,000" in page
