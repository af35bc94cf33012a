from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from kyokan.apps.core.templatetags import kyokan as tags


def test_wareki_filters_in_japanese():
    with translation.override("ja"):
        assert tags.wareki(date(2023, 4, 1)) == "令和5年（2023年）4月1日"
        assert tags.wareki(date(2019, 5, 1)) == "令和元年（2019年）5月1日"
        assert tags.fiscal_year_label(2023) == "令和5年度（2023年度）"
        assert tags.fiscal_year_label(date(2024, 3, 31)) == "令和5年度（2023年度）"
        assert tags.date_with_weekday(date(2022, 2, 4)) == "2月4日(金)"
        assert tags.weekday(date(2022, 3, 22)) == "火"


def test_wareki_filters_in_english():
    with translation.override("en"):
        assert tags.fiscal_year_label(2023) == "FY2023 (Reiwa 5)"
        assert tags.weekday(date(2022, 3, 22)) == "Tue"


def test_datetimes_are_shown_in_the_city_time_zone():
    # 2023-03-31 16:30 UTC is already 1 April in Tokyo: a new fiscal year.
    moment = datetime(2023, 3, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("ja"):
        assert tags.wareki_datetime(moment) == "令和5年（2023年）4月1日 01:30"
        assert tags.fiscal_year_label(moment) == "令和5年度（2023年度）"


def test_empty_values_render_nothing():
    assert tags.wareki(None) == "" and tags.fiscal_year_label("") == ""


def test_page_url_keeps_the_filters():
    request = RequestFactory().get("/people/", {"q": "佐藤", "page": "3"})
    html = Template("{% load kyokan %}{% page_url 4 %}").render(Context({"request": request}))
    assert html == "?q=%E4%BD%90%E8%97%A4&amp;page=4"


def test_filters_query_keeps_the_set_filters_only():
    def rendered(params):
        request = RequestFactory().get("/procedures/", params)
        template = Template("{% load kyokan %}{% filters_query as q %}[{{ q }}]")
        return template.render(Context({"request": request}))

    assert rendered({"q": "", "online_status": "2", "page": "3", "seal": ""}) == (
        "[?online_status=2]"
    )
    assert rendered({"q": "", "page": "2"}) == "[]"
    assert rendered({"department": ["", "7", "9"]}) == "[?department=7&amp;department=9]"
