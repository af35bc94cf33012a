from django_tasks import task

from . import services


@task()
def run_consensus(run_id: int) -> None:
    services.analysis_execute(run_id=run_id)
