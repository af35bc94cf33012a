"""The portal's objects and URL arguments for the URL walk of every role
(tests/core/test_url_access.py)."""

PUBLIC = {
    "portal:home", "portal:documents", "portal:document", "portal:version",
    "portal:initiatives", "portal:initiative", "portal:surveys", "portal:survey_results",
    "portal:meetings", "portal:meeting", "portal:procedures", "portal:participation",
    "portal:accessibility", "portal:reading_help", "portal:reading_switch", "core:home",
}  # fmt: skip
# Public views an anonymous visitor reaches with a 200 (or 405 for a POST-only view); "/"
# redirects to the portal, and the procedures page exists once that app exposes its public
# selectors.
REACHED = PUBLIC - {"core:home"}


def objects(people) -> dict:
    from kyokan.apps.portal import services
    from tests.portal import content

    built = content.build(people)
    entry = services.reading_entry_create(
        actor=people["secretariat"], surface="光が丘", reading="ひかりがおか"
    )
    return {
        "portal_document": built["document"],
        "portal_version": built["adopted_version"],
        "portal_initiative": built["public_initiative"],
        "portal_survey": built["results_survey"],
        "portal_meeting": built["held_meeting"],
        "reading_entry": entry,
    }


ARGS = {
    "portal:document": lambda o: {"pk": o["portal_document"].pk},
    "portal:version": lambda o: {"pk": o["portal_version"].pk},
    "portal:initiative": lambda o: {"pk": o["portal_initiative"].pk},
    "portal:survey_results": lambda o: {"pk": o["portal_survey"].pk},
    "portal:meeting": lambda o: {"pk": o["portal_meeting"].pk},
    "portal:reading_edit": lambda o: {"pk": o["reading_entry"].pk},
    "portal:reading_delete": lambda o: {"pk": o["reading_entry"].pk},
}
