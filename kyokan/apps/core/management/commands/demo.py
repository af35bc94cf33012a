from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.core import demo


class Command(BaseCommand):
    help = "Load the demo city (ひかり野市). --reset empties the database first."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete everything first")
        parser.add_argument(
            "--if-empty", action="store_true", help="load only when the database has no people"
        )

    def handle(self, *args, reset: bool, if_empty: bool, **options):
        if reset:
            ctx = demo.demo_reset()
        elif not demo.demo_is_needed():
            if not if_empty:
                raise CommandError("The database is not empty. Use --reset to rebuild the demo.")
            self.stdout.write("The database already has data; the demo was not loaded.")
            ctx = None
        else:
            ctx = demo.demo_load()
        if ctx is not None:
            self.stdout.write(self.style.SUCCESS(f"Demo city loaded: {len(ctx.people)} people."))
        logins = demo.demo_logins()
        if logins:
            self.stdout.write(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
            for login, roles, name in logins:
                self.stdout.write(f"  {login:<14} {roles:<16} {name}")
