from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.core.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's HMAC chain; fails naming each altered or missing entry. "
        "Prints the newest entry and its hash, to be recorded outside the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="HASH",
            help="fail unless the chain contains an entry with this hash (recorded earlier)",
        )

    def handle(self, *args, **options):
        result = audit_verify(expect_head=options.get("expect_head"))
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The audit trail has been tampered with ({len(result.problems)} problems in "
                f"{result.checked} entries)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.checked} entries."))
        self.stdout.write(f"head: #{result.head_id or '-'} {result.head_hash}")
