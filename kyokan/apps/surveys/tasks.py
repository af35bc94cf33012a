from django_tasks import task

from kyokan.apps.core.resilience import retry_transient

from . import importing


@task()
def run_import(batch_id: int) -> None:
    """A survey import (``importing.import_run``), run by ``kyokan db_worker``."""
    retry_transient(lambda: importing.import_run(batch_id=batch_id))
