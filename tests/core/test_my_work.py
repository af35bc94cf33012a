""" "My work": sources registered by modules, shown on the home page and /my-work/."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kyokan.apps.core import mywork
from kyokan.apps.core.mywork import WorkItem, WorkSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    def polls(user, limit):
        return [
            WorkItem("第6回本部会議", "/meetings/6/poll/", "日程の回答", dt.date(2027, 1, 20)),
            WorkItem("第7回本部会議", "/meetings/7/poll/", "日程の回答", None),
        ][:limit]

    def secret(user, limit):
        return [WorkItem("事務局だけ", "/x/", "確認")]

    mywork.register_work(WorkSource("tests.polls", gettext_lazy("Meetings"), "core.use_app", polls))
    mywork.register_work(WorkSource("tests.secret", "secret", "core.view_audit", secret))
    yield
    mywork._sources.pop("tests.polls")
    mywork._sources.pop("tests.secret")


@pytest.mark.usefixtures("sources")
def test_home_and_page_show_the_persons_work_by_deadline(client_as):
    client = client_as("hq_chief")
    home = client.get("/").content.decode()
    assert 'id="panel-my-work"' in home
    assert home.index("第6回本部会議") < home.index("第7回本部会議")  # dated first
    assert "事務局だけ" not in home  # a source the person may not see
    page = client.get(reverse("core:my_work")).content.decode()
    assert "第6回本部会議" in page and "/meetings/6/poll/" in page and "事務局だけ" not in page


def test_with_nothing_waiting_the_page_says_so(client_as):
    page = client_as("citizen").get(reverse("core:my_work"))
    assert page.status_code == 200 and 'class="empty-state"' in page.text
