"""``kyokan db_worker``: django-tasks' database worker, made to survive the database.

The library's worker stops on a database error other than "locked" and, when recording a
task's outcome fails, leaves the task marked as running forever. This worker retries
transient errors (see core.resilience) when it records an outcome, and when its loop meets a
database error it logs it, reconnects and goes on after a pause, so that it never dies nor
hangs while looking alive. (Core is listed before django_tasks_db in INSTALLED_APPS, so this
command replaces the library's of the same name; its options are the same.)
"""

import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.compat import task_finished, task_started
from django_tasks_db.management.commands import db_worker as library

from kyokan.apps.core.resilience import retry_transient

logger = logging.getLogger("django_tasks_db")
MAX_PAUSE = 30.0


class ResilientWorker(library.Worker):
    pause_after_error = 1.0

    def run(self) -> None:
        pause = self.pause_after_error
        while self.running:
            try:
                super().run()
                return  # batch or max-tasks reached
            except DatabaseError as exc:
                logger.warning("Worker: database error, going on in %.0f s: %s", pause, exc)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)

    def run_task(self, db_task_result) -> None:
        """As the library's, with the outcome's recording retried."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    from django_tasks_db.compat import TaskContext

                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as exc:
                error = exc
                retry_transient(lambda: db_task_result.set_failed(error))
                task_finished.send(sender=type(backend_type), task_result=task_result)
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                return
            retry_transient(lambda: db_task_result.set_successful(value))
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(library.Command):
    help = library.Command.help + " (retrying transient database errors)"

    def handle(self, *args, **options):
        original = library.Worker
        library.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            library.Worker = original
