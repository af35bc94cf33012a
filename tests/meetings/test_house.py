"""Issue 9, items 10, 12, 18 and 19 for meetings: lazy translations (pages read in English
show no Japanese UI text), core's department picker in the order of the tree, one kana
folding, the invitation's people chosen by a selector."""

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import timezone, translation

import kyokan
from kyokan.apps.core.models import Department
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import selectors, services
from kyokan.apps.meetings.forms import ActionItemForm, InviteForm
from kyokan.apps.meetings.models import ExpertInput
from kyokan.textanalysis.normalize import fold
from tests.factories import BureauFactory, DivisionFactory, UserFactory

# --- item 10: lazy translation ------------------------------------------------------------

JA_PO = Path(kyokan.__file__).resolve().parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def _japanese_ui_texts() -> set[str]:
    """The Japanese translations of the English UI strings (「開催済にする」 …): on a page
    read in English none of them may appear."""
    texts = set()
    for entry in polib.pofile(str(JA_PO)).translated_entries():
        if JAPANESE.search(entry.msgid) or "%" in entry.msgstr or "{" in entry.msgstr:
            continue
        if len(entry.msgstr) >= 4 and JAPANESE.search(entry.msgstr):
            texts.add(entry.msgstr)
    return texts


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def english_pages(client_as, sysadmin, hq_series, people):
    """A meeting with everything on its pages, and the URLs to read in English."""
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=12)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, title="Strategy", starts_at=start
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]])
    item = services.agenda_item_create(actor=sysadmin, meeting=meeting, title="Item one")
    services.decision_add(actor=sysadmin, meeting=meeting, text="Agreed.", agenda_item=item)
    action = services.action_item_create(
        actor=sysadmin,
        meeting=meeting,
        title="Follow up",
        owner=people[Role.STAFF],
        due_date=timezone.localdate() + timedelta(days=30),
    )
    planned = services.meeting_create(actor=sysadmin, series=hq_series, title="Next")
    services.invitations_add(actor=sysadmin, meeting=planned, people=[people[Role.HQ_CHIEF]])
    services.poll_open(
        actor=sysadmin,
        meeting=planned,
        candidates=[(start + timedelta(days=7), start + timedelta(days=7, hours=1))],
    )
    return [
        reverse("meetings:list"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:status", args=[meeting.pk, "held"]),
        reverse("meetings:status", args=[meeting.pk, "cancelled"]),
        reverse("meetings:poll", args=[planned.pk]),
        reverse("meetings:poll_create", args=[meeting.pk]),
        reverse("meetings:invite", args=[meeting.pk]),
        reverse("meetings:attendance", args=[meeting.pk]),
        reverse("meetings:action_create", args=[meeting.pk]),
        reverse("meetings:action_complete", args=[action.pk]),
        reverse("meetings:actions"),
        reverse("meetings:calendar"),
        reverse("meetings:training"),
        reverse("meetings:knowledge"),
    ]


@pytest.mark.parametrize("first_language", ["ja", "en"])
def test_pages_read_in_english_show_no_japanese_ui_text(
    client_as, english_pages, first_language, people
):
    """Labels translated when the module was imported stay in the language of that
    moment: reading the pages first in one language, then in the other, shows it."""
    client = client_as(Role.SECRETARIAT)
    leaks = {}
    texts = _japanese_ui_texts()
    for language in (first_language, "en" if first_language == "ja" else "ja"):
        client.cookies["django_language"] = language
        for url in english_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            if language != "en":
                continue
            text = _visible_text(response.content.decode())
            found = sorted(t for t in texts if t in text)
            if found:
                leaks[url] = found
    assert leaks == {}
    client.cookies["django_language"] = "en"
    body = client.get(english_pages[2]).content.decode()
    assert "Mark as held" in body
    client.cookies["django_language"] = "ja"
    with translation.override("ja"):
        assert "開催済にする" in client.get(english_pages[2]).content.decode()


# --- item 12: the department picker --------------------------------------------------------


def _tree_order() -> list[int]:
    """Departments as /departments/ lists them: bureaus by sort order, each followed by its
    divisions by sort order."""
    order = []
    for bureau in Department.objects.filter(parent__isnull=True).order_by("sort_order", "id"):
        order.append(bureau.pk)
        order += list(bureau.children.order_by("sort_order", "id").values_list("pk", flat=True))
    return order


@pytest.fixture
def scrambled_tree(db):
    """Bureaus and divisions created out of order (ids do not follow the tree), as an HR
    import or a reorganisation leaves them."""
    second = BureauFactory(name="総務部", sort_order=20)
    first = BureauFactory(name="経営戦略部", sort_order=10)
    DivisionFactory(name="人事課", parent=second, sort_order=20)
    DivisionFactory(name="情報戦略課", parent=first, sort_order=10)
    DivisionFactory(name="総務課", parent=second, sort_order=10)
    DivisionFactory(name="企画政策課", parent=first, sort_order=20)
    return first, second


def _flat(choices) -> list[tuple[str, list[int]]]:
    groups = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            groups.append((value, [int(str(v)) for v, _l in label]))
    return groups


@pytest.mark.parametrize(
    "form", [lambda m: InviteForm(), lambda m: ActionItemForm(meeting=m)], ids=["invite", "action"]
)
def test_department_pickers_follow_the_tree(scrambled_tree, hq_series, form):
    meeting = services.meeting_create(actor=None, series=hq_series)
    field = form(meeting).fields["department"]
    groups = _flat(field.choices)
    names = [name for name, _ids in groups]
    bureaus = Department.objects.filter(parent__isnull=True).order_by("sort_order", "id")
    assert names == [b.name for b in bureaus]
    assert names.index("経営戦略部") < names.index("総務部")
    for name, ids in groups:
        bureau = Department.objects.get(name=name)
        assert ids[0] == bureau.pk  # the bureau itself, first in its group
        assert {Department.objects.get(pk=i).parent_id for i in ids[1:]} == {bureau.pk}
    flat = [i for _name, ids in groups for i in ids]
    assert flat == [pk for pk in _tree_order() if pk in flat]


def test_inviting_a_bureau_invites_its_divisions(scrambled_tree, hq_series):
    first, second = scrambled_tree
    in_first = [UserFactory(department=d) for d in first.children.all()]
    UserFactory(department=second.children.first())
    UserFactory(department=first.children.first(), is_active=False)
    found = selectors.people_to_invite(department=first)
    assert {p.pk for p in found} == {p.pk for p in in_first}
    # A person chosen by name and by department is invited once.
    assert len(selectors.people_to_invite(people=[in_first[0]], department=first)) == 2


# --- item 18: one kana folding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("オープンデータの活用", "おーぷんでーた"),
        ("ｵｰﾌﾟﾝﾃﾞｰﾀ", "オープンデータ"),
        ("ＤＸ推進", "dx"),
        ("デジタル　化", "でじたる化"),
        ("ヴァイオリン教室", "ゔぁいおりん"),
    ],
)
def test_expert_inputs_are_found_across_width_case_and_kana(
    sysadmin, hq_series, people, stored, query
):
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    expert = services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.EXPERT]]
    ).added[0]
    expert_input = services.expert_input_create(
        actor=sysadmin, meeting=meeting, expert=expert, title=stored, body="本文"
    )
    assert expert_input.search_text == fold(f"{stored}\n本文\n")
    assert list(selectors.expert_inputs_search(query)) == [expert_input]
    assert list(selectors.expert_inputs_search("存在しない語")) == []


def test_meetings_has_no_kana_table_of_its_own():
    app = Path(kyokan.__file__).resolve().parent / "apps" / "meetings"
    for path in app.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "0x30A1" not in text and "0x60" not in text, path
    assert not (app / "search.py").exists()
    assert ExpertInput._meta.get_field("search_text")


@pytest.mark.django_db(transaction=True)
class _HistoricalApps:
    def get_model(self, app_label, model_name):
        assert (app_label, model_name) == ("meetings", "Insight")
        return ExpertInput


def test_the_migration_refolds_stored_search_copies(sysadmin, hq_series, people):
    """Inputs stored with meetings' old folding (lower case, no case folding: ß stayed ß)
    are found by the new queries after migration 0004."""
    import importlib

    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    expert = services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.EXPERT]]
    ).added[0]
    expert_input = services.expert_input_create(
        actor=sysadmin, meeting=meeting, expert=expert, title="Straße のデータ", body="本文"
    )
    ExpertInput.objects.filter(pk=expert_input.pk).update(
        search_text="straßeのでーた本文"
    )  # as before
    assert list(selectors.expert_inputs_search("STRASSE")) == []
    migration = importlib.import_module(
        "kyokan.apps.meetings.migrations.0004_refold_insight_search_text"
    )
    # The migration asks for the model by its name of the time (Insight, renamed ExpertInput
    # by 0006); today's model stands in for it.
    migration.refold(_HistoricalApps(), None)
    assert list(selectors.expert_inputs_search("STRASSE")) == [expert_input]
