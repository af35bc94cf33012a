from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; fails naming each altered or missing entry."

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The audit trail has been tampered with ({len(result.problems)} problems in "
                f"{result.checked} entries)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.checked} entries."))
