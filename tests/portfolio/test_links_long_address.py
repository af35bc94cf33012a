"""Adding a link returns to the search page; an address longer than Django redirects to
(2,048 characters) gave a 400 page instead."""

from django.urls import reverse


def test_adding_a_link_from_a_very_long_address_returns_to_the_path(
    client_as, make_initiative, bureau
):
    initiative = make_initiative(bureau)
    url = reverse("portfolio:links", args=[initiative.pk])
    response = client_as("secretariat").post(
        url + "?type=documents.version&q=" + "あ" * 1000, {"type": "none", "target_id": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == url


def test_adding_a_link_keeps_a_short_search_address(client_as, make_initiative, bureau):
    initiative = make_initiative(bureau)
    url = reverse("portfolio:links", args=[initiative.pk]) + "?type=documents.version&q=x"
    response = client_as("secretariat").post(url, {"type": "none", "target_id": "1"})
    assert response.status_code == 302
    assert response["Location"] == url
