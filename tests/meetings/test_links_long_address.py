"""Adding a link to an agenda item returns to the search page; an address longer than
Django redirects to (2,048 characters) gave a 400 page instead."""

from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services


def test_adding_a_link_from_a_very_long_address_returns_to_the_path(
    client_as, sysadmin, dated_meeting
):
    item = services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="議題")
    url = reverse("meetings:item_links", args=[item.pk])
    client = client_as(Role.SECRETARIAT)
    response = client.post(url + "?q=" + "あ" * 1000, {"type": "none", "target_id": "1"})
    assert response.status_code == 302
    assert response["Location"] == url
    short = url + "?type=documents.version&q=x"
    assert client.post(short, {"type": "none", "target_id": "1"})["Location"] == short
