"""Apps that changed their label, and the one-time move of an existing database to the new
label, run by ``kyokan migrate`` before it plans anything.

Django keeps an app's label in three places of the database: the names of its tables
(``<label>_<model>``), its rows in ``django_migrations`` and its content types. When an app
is renamed, an existing database still holds the old label everywhere, so ``migrate`` would
try to create the app's tables again and find the history of the apps that depend on it
inconsistent. :func:`move_renamed_apps` renames the tables and the rows, in one transaction,
only when the database has the old label and not yet the new one; on a new database, or one
moved already, it does nothing.
"""

from __future__ import annotations

from django.db import transaction

# old label → new label. insight → analyses (2026-12): "insight" named the text-analysis
# library, its Django app and an expert's input at once.
RENAMED_APPS: dict[str, str] = {"insight": "analyses"}


def _count(cursor, sql: str, params: list) -> int:
    cursor.execute(sql, params)
    return int(cursor.fetchone()[0])


def move_renamed_apps(connection) -> list[tuple[str, str, list[str]]]:
    """Move the database behind ``connection`` to the new labels; returns what was moved as
    (old label, new label, renamed tables)."""
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return []
    quote = connection.ops.quote_name
    moved = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for old, new in RENAMED_APPS.items():
            history = "SELECT COUNT(*) FROM django_migrations WHERE app = %s"
            if not _count(cursor, history, [old]) or _count(cursor, history, [new]):
                continue
            renamed = []
            for table in sorted(tables):
                if table.startswith(f"{old}_"):
                    target = f"{new}_{table[len(old) + 1 :]}"
                    cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(target)}")
                    renamed.append(target)
            cursor.execute("UPDATE django_migrations SET app = %s WHERE app = %s", [new, old])
            if "django_content_type" in tables:
                cursor.execute(
                    "UPDATE django_content_type SET app_label = %s WHERE app_label = %s",
                    [new, old],
                )
            moved.append((old, new, renamed))
    return moved
