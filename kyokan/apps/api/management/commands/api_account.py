"""kyokan api-account (api_account) NAME --bureau 部局 --scope initiatives [--scope …] [--by LOGIN]

Create an API system account and print its token (once: only its hash is stored). The same
as the system administrator's page /api/accounts/new/.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.api import services
from kyokan.apps.api.models import Scope
from kyokan.apps.core.models import Department, User


class Command(BaseCommand):
    help = "Create an API system account for a bureau and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--bureau", required=True, help="name of the bureau (部局)")
        parser.add_argument("--scope", action="append", choices=Scope.values, required=True)
        parser.add_argument("--by", default="", help="login of the person recorded as creator")
        parser.add_argument("--description", default="")

    def handle(self, *args, name, bureau, scope, by, description, **options):
        department = Department.objects.filter(
            name=bureau, kind=Department.Kind.BUREAU, parent__isnull=True
        ).first()
        if department is None:
            raise CommandError(f"No bureau named {bureau!r}.")
        actor = User.objects.filter(username=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No person with the login {by!r}.")
        try:
            account, token = services.account_create(
                actor=actor, name=name, department=department, scopes=scope,
                description=description,
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{account.name} ({department.name}): {', '.join(account.scopes)}")
        self.stdout.write(token)
