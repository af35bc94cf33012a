"""A database made before an app was renamed moves to the new label on ``kyokan migrate``."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kyokan.apps.analyses.models import AnalysisRun, CommentSet
from kyokan.apps.core.renamed_apps import move_renamed_apps


def _as_before_the_rename():
    """Put the test database back in the shape the old label left: insight_* tables, history
    and content types under "insight"."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("analyses_"):
                old = "insight_" + table[len("analyses_") :]
                cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute("UPDATE django_migrations SET app = 'insight' WHERE app = 'analyses'")
        cursor.execute(
            "UPDATE django_content_type SET app_label = 'insight' WHERE app_label = 'analyses'"
        )


def _unapplied():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_an_old_database_moves_to_the_new_label_and_keeps_its_rows(sysadmin):
    comments = CommentSet.objects.create(title="市民意見", content="id,text\n1,意見\n", rows=1)
    AnalysisRun.objects.create(
        comment_set=comments, reference_label="以前の分析", created_by=sysadmin
    )
    _as_before_the_rename()
    assert "analyses_analysisrun" not in connection.introspection.table_names()

    [(old, new, tables)] = move_renamed_apps(connection)

    assert (old, new) == ("insight", "analyses")
    assert "analyses_analysisrun" in tables
    assert AnalysisRun.objects.get().reference_label == "以前の分析"
    assert _unapplied() == []
    # Moved once: a second run, and migrate itself, change nothing.
    assert move_renamed_apps(connection) == []
    call_command("migrate", verbosity=0)
    assert AnalysisRun.objects.count() == 1


@pytest.mark.django_db
def test_a_new_database_is_left_alone():
    assert move_renamed_apps(connection) == []
