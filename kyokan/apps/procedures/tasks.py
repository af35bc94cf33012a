from django_tasks import task

from kyokan.apps.core.resilience import retry_transient


@task()
def run_import(import_id: int) -> None:
    """A procedure import's check or write (``services.import_run``), run by
    ``kyokan db_worker``."""
    from . import services

    retry_transient(lambda: services.import_run(import_id=import_id))
