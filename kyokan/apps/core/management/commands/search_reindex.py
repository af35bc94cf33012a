"""``kyokan search-reindex``: rebuild the site search from every module's objects."""

from django.core.management.base import BaseCommand

from kyokan.apps.core.search import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the site search index from every registered kind of object."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="only these kinds (e.g. documents.section)")

    def handle(self, *args, **options):
        for kind, count in index_rebuild(kinds=options["kinds"] or None).items():
            self.stdout.write(f"{kind}: {count}")
