"""``kyokan send-reminders``: the scheduled reminders, the daily digest and the e-mails that
are due again. Idempotent: running it twice the same day tells nobody twice. Run it from
cron or a systemd timer (deploy/kyokan-reminders.timer), e.g. every morning at 7:00."""

from django.core.management.base import BaseCommand

from kyokan.apps.core.notifications import reminders_run


class Command(BaseCommand):
    help = "Send the scheduled reminders, the daily digest and the e-mails due again."

    def handle(self, *args, **options):
        for key, count in reminders_run().items():
            self.stdout.write(f"{key}: {count}")
