import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.core import services
from kyokan.apps.core.roles import Role


class Command(BaseCommand):
    help = (
        "Create a system administrator (the first account of a real city). The password is "
        "asked twice, or read from KYOKAN_ADMIN_PASSWORD for automation."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, full_name: str, email: str, **options):
        password = os.environ.get("KYOKAN_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = services.user_create(
                actor=None,
                username=username,
                full_name=full_name,
                email=email,
                password=password,
                roles=[(Role.SYSADMIN, None)],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"System administrator {user.username} created."))
