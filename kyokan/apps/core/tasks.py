from django_tasks import task

from . import exports
from .resilience import retry_transient


@task()
def build_export(job_id: str) -> None:
    retry_transient(lambda: exports.export_build(job_id=job_id))


@task()
def send_emails(ids: list[int]) -> int:
    from .notifications import email_send

    return sum(retry_transient(lambda pk=pk: email_send(email_id=pk)) for pk in ids)
