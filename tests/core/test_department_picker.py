"""One department picker, ordered and grouped by the department tree (issue 9, item 12)."""

import pytest
from django.urls import reverse

from kyokan.apps.core import selectors, services
from kyokan.apps.core.forms import (
    DepartmentChoiceField,
    DepartmentMultipleChoiceField,
    PeopleFilterForm,
)
from kyokan.apps.core.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(sysadmin):
    """Bureaus and divisions created out of order, with clashing sort orders — the case that
    scrambled the flat pickers (総務課 shown under 経営戦略部)."""
    senryaku = services.department_create(actor=sysadmin, name="経営戦略部", kind="bureau")
    somu = services.department_create(actor=sysadmin, name="総務部", kind="bureau")
    services.department_create(actor=sysadmin, name="総務課", kind="division", parent=somu)
    services.department_create(actor=sysadmin, name="情報戦略課", kind="division", parent=senryaku)
    services.department_create(actor=sysadmin, name="人事課", kind="division", parent=somu)
    services.department_create(actor=sysadmin, name="企画課", kind="division", parent=senryaku)
    return senryaku, somu


def _tree_order() -> list[tuple[str, list[str]]]:
    """The tree as /departments/ lists it."""
    return [
        (b.name, [b.name, *(d.name for d in b.children.all())])
        for b in selectors.bureaus_with_divisions()
    ]


def _field_order(field) -> list[tuple[str, list[str]]]:
    pks = dict(Department.objects.values_list("pk", "name"))
    return [(group, [pks[v] for v, _l in options]) for group, options in field.choices if group]


@pytest.mark.parametrize("field_class", [DepartmentChoiceField, DepartmentMultipleChoiceField])
def test_the_picker_follows_the_tree(tree, field_class):
    field = field_class(required=False)
    assert _field_order(field) == _tree_order()
    for group, names in _field_order(field):
        assert names[0] == group  # the bureau itself first, then its divisions


@pytest.mark.usefixtures("tree")
def test_inactive_departments_are_left_out(sysadmin):
    kikaku = Department.objects.get(name="企画課")
    services.department_update(actor=sysadmin, department=kikaku, is_active=False)
    names = [n for _g, ns in _field_order(DepartmentChoiceField()) for n in ns]
    assert "企画課" not in names and "情報戦略課" in names


def test_the_picker_validates_against_its_queryset(tree):
    field = DepartmentChoiceField()
    division = Department.objects.get(name="総務課")
    assert field.clean(str(division.pk)) == division
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean("999999")


def test_the_people_filter_renders_groups_in_tree_order(tree, client_as):
    body = client_as("secretariat").get(reverse("core:people")).content.decode()
    assert body.index('optgroup label="経営戦略部"') < body.index('optgroup label="総務部"')
    senryaku = body[
        body.index('optgroup label="経営戦略部"') : body.index('optgroup label="総務部"')
    ]
    assert "情報戦略課" in senryaku and "企画課" in senryaku and "総務課" not in senryaku
    assert PeopleFilterForm().fields["department"].bureau_label


def test_the_picker_costs_two_queries_whatever_the_size(tree, django_assert_max_num_queries):
    field = DepartmentChoiceField()
    with django_assert_max_num_queries(2):
        list(field.choices)
