"""A non-shared role is held by one person at a time.

PostgreSQL enforces it with an exclusion constraint over the assignment's date
range; SQLite (local use only) has no such constraint and relies on the check
in ``tracker.services.role_assign``.
"""
from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE tracker_roleassignment
    ADD CONSTRAINT tracker_roleassignment_one_holder_at_a_time
    EXCLUDE USING gist (role_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&)
    WHERE (NOT shared);
"""
DROP = "ALTER TABLE tracker_roleassignment DROP CONSTRAINT IF EXISTS tracker_roleassignment_one_holder_at_a_time;"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
