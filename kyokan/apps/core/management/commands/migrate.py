"""``kyokan migrate``: Django's migrate, after moving a database of renamed apps to their new
labels (:mod:`kyokan.apps.core.renamed_apps`)."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from kyokan.apps.core.renamed_apps import move_renamed_apps


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        for old, new, tables in move_renamed_apps(connection):
            if options["verbosity"] >= 1:
                self.stdout.write(f"Renamed app {old} → {new} ({len(tables)} tables)")
        return super().handle(*args, **options)
