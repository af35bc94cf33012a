"""The portal's procedure search: a GET form that works without JavaScript, the staff
inventory's normalisation (width and kana variants alike), the number of results, an empty
state, the query kept in the page links, and only the public procedures and columns."""

import re

import pytest
from django.urls import reverse

from kyokan.apps.portal.views import RUBY_COOKIE
from kyokan.apps.procedures.importing import search_text_of
from kyokan.apps.procedures.models import Origin, Procedure
from tests.portal.content import INTERNAL

pytestmark = pytest.mark.django_db

URL = reverse("portal:procedures")


def _procedure(procedure_id, name, **fields):
    values = {"name": name, "law_name": "住民基本台帳法", "article": "第22条",
              "is_municipal": True, "online_status": "2", **fields}  # fmt: skip
    values["search_text"] = search_text_of(values)
    return Procedure(procedure_id=procedure_id, **values)


@pytest.fixture
def inventory(people):
    division = people["staff"].department
    Procedure.objects.bulk_create(
        [
            _procedure("1001", "マイナンバーカード交付申請", department=division,
                       note=f"{INTERNAL}の検討メモ"),
            _procedure("1002", "転入届", department=division, online_status="1"),
            _procedure("1003", "ＤＸ推進補助金の申請", law_name="補助金交付要綱",
                       origin=Origin.CITY, is_municipal=False),
            # The national survey's procedure the city does not carry out: never public.
            _procedure("9001", "マイナンバーカード関連の国の手続", is_municipal=False),
        ]
    )  # fmt: skip


def _text(html: str) -> str:
    html = re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def _rows(html: str) -> list[str]:
    return [_text(cell) for cell in re.findall(r'<th scope="row">(.*?)</th>', html, re.S)]


@pytest.mark.parametrize("query", ["マイナンバー", "ﾏｲﾅﾝﾊﾞｰ", "まいなんばー", "マイナンバー カード"])
def test_width_and_kana_variants_find_the_same_procedures(client, inventory, query):
    page = client.get(URL, {"q": query}).content.decode()
    assert _rows(page) == ["マイナンバーカード交付申請"]  # not the national one
    assert f"「{query}」に当てはまる手続は1件です。" in _text(page)
    assert f'value="{query}"' in page  # the query stays in the box


def test_full_width_letters_and_the_law_name(client, inventory):
    assert _rows(client.get(URL, {"q": "dx"}).content.decode()) == ["ＤＸ推進補助金の申請"]
    found = _rows(client.get(URL, {"q": "住民基本台帳"}).content.decode())
    assert found == ["マイナンバーカード交付申請", "転入届"]


def test_the_form_works_without_javascript_and_has_a_label(client, inventory):
    page = client.get(URL).content.decode()
    form = re.search(r'<form method="get" action="/portal/procedures/".*?</form>', page, re.S)
    assert form and 'role="search"' in form.group(0)
    assert '<label for="id_q">手続の名前</label>' in form.group(0)
    assert 'name="q"' in form.group(0) and 'type="submit"' in form.group(0)
    assert "hx-" not in form.group(0)
    assert len(_rows(page)) == 3 and "当てはまる手続" not in page  # everything public, no count
    assert "すべての手続を表示" not in page


def test_the_inventorys_rates_describe_the_whole_lists_first_page(client, inventory, people):
    # 3 public procedures (the national one is not the city's), 1 of them online.
    summary = "3件の手続のうち、1件はオンラインでできます。"
    assert summary in _text(client.get(URL).content.decode())
    assert summary not in _text(client.get(URL, {"q": "マイナンバー"}).content.decode())
    division = people["staff"].department
    Procedure.objects.bulk_create(
        [_procedure(f"5{n:03}", f"届出{n}", department=division) for n in range(60)]
    )
    assert "63件の手続のうち" not in _text(client.get(URL, {"page": 2}).content.decode())
    assert "63件の手続のうち、1件" in _text(client.get(URL).content.decode())


def test_no_match_says_so_and_offers_the_whole_list(client, inventory):
    page = client.get(URL, {"q": "存在しない手続名"}).content.decode()
    assert _rows(page) == []
    text = _text(page)
    assert "「存在しない手続名」に当てはまる手続はありません。" in text
    assert "「存在しない手続名」に当てはまる手続は0件です。" in text
    assert f'href="{URL}">すべての手続を表示' in page


def test_the_query_is_kept_in_the_page_links(client, inventory, people):
    division = people["staff"].department
    Procedure.objects.bulk_create(
        [_procedure(f"2{n:03}", f"児童手当の届出{n}", department=division) for n in range(60)]
    )
    first = client.get(URL, {"q": "児童手当"}).content.decode()
    assert len(_rows(first)) == 50 and "「児童手当」に当てはまる手続は60件です。" in _text(first)
    assert "?q=%E5%85%90%E7%AB%A5%E6%89%8B%E5%BD%93&amp;page=2" in first
    second = client.get(URL, {"q": "児童手当", "page": 2}).content.decode()
    assert len(_rows(second)) == 10
    assert all(name.startswith("児童手当の届出") for name in _rows(second))


def test_a_query_too_long_is_refused_and_kept(client, inventory):
    query = "あ" * 101
    response = client.get(URL, {"q": query})
    page = response.content.decode()
    assert response.status_code == 200 and 'aria-invalid="true"' in page
    assert query in page and len(_rows(page)) == 3  # the whole public list, unfiltered


@pytest.mark.parametrize("ruby", [False, True])
def test_only_public_procedures_and_columns(client, inventory, ruby):
    if ruby:
        client.cookies[RUBY_COOKIE] = "1"
    for query in ("", "マイナンバー", "国の手続", INTERNAL):
        page = client.get(URL, {"q": query} if query else {}).content.decode()
        text = _text(page)
        assert "国の手続" not in text.replace("「国の手続」", "")
        assert INTERNAL not in text.replace(f"「{INTERNAL}」", "")


def test_the_query_counts_do_not_grow_with_the_data(client, inventory, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": "届出"}).status_code == 200
        return len(ctx)

    division = people["staff"].department
    Procedure.objects.bulk_create(
        [_procedure(f"3{n:03}", f"届出{n}", department=division) for n in range(3)]
    )
    before = count()
    Procedure.objects.bulk_create(
        [_procedure(f"4{n:03}", f"届出{n}", department=division) for n in range(120)]
    )
    assert count() <= before
