from django_tasks import task

from . import services


@task()
def run_analysis(run_id: int) -> None:
    services.analysis_execute(run_id=run_id)
