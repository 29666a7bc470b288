"""Full-text search across the minutes (PostgreSQL only; SQLite gets a plain substring search).

1. ``minutes_agendaitem.search_document``: a stored generated ``tsvector`` of all
   of an agenda item's text in the ``danish`` configuration, weighted A title,
   B decision ("Beslutning…"), C recommendation ("Indstilling…"), D every other
   section. It is what a search matches against. It is kept in the row (storage
   MAIN), compressed with lz4 where the server has it: stored out of line, as
   PostgreSQL would store a long item's document by default, it costs a lookup
   in the TOAST table per row whenever the planner decides to test every row
   instead of using the index (a word in a fifth of the items), which the
   planner does not count: on the generated data set with the sample minutes'
   text, testing every document took eight times as long stored out of line.
2. ``minutes_agendaitem.search_summary``: the same for title, decision and
   recommendation only. Results are ranked by it: it is a few hundred bytes,
   so ranking thousands of matches does not read thousands of whole documents.
3. ``minutes_search_agendaitem_idx``: GIN index on ``search_document``.
4. ``minutes_search_followup_idx``: GIN expression index on follow-ups' titles,
   built from the very expression ``minutes.search`` queries with
   (``SearchVector("title", config="danish")``); an index on any other
   expression would not be used. A follow-up's quote is a sentence of the
   minutes, already in its agenda item's document.

A closed ("Lukket") item's document and summary are empty, so its content can
never match. The columns are deliberately not model fields: Django would then
select the vectors (kilobytes per item) with every agenda item row, in every
list that shows where a follow-up comes from. ``minutes.search`` reads them.

Changing the type of ``title``, ``sections`` or ``closed`` later requires
dropping the generated columns first (PostgreSQL refuses otherwise) and running
the SQL below again.
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import DatabaseError, migrations, transaction

DECISION = "$.keyvalue() ? (@.key starts with \"Beslutning\").value"
RECOMMENDATION = "$.keyvalue() ? (@.key starts with \"Indstilling\").value"
OTHER = "$.keyvalue() ? (!(@.key starts with \"Beslutning\") && !(@.key starts with \"Indstilling\")).value"


def _sections(path: str, weight: str) -> str:
    return (
        f"setweight(to_tsvector('danish'::regconfig, "
        f"jsonb_path_query_array(sections, '{path}'::jsonpath, '{{}}'::jsonb, true)), '{weight}')"
    )


def _vector(*parts: str) -> str:
    return f"CASE WHEN closed THEN ''::tsvector ELSE {' || '.join(parts)} END"


TITLE = "setweight(to_tsvector('danish'::regconfig, title), 'A')"
ADD_DOCUMENT = f"""
ALTER TABLE minutes_agendaitem
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        {_vector(TITLE, _sections(DECISION, 'B'), _sections(RECOMMENDATION, 'C'), _sections(OTHER, 'D'))}
    ) STORED,
    ADD COLUMN search_summary tsvector GENERATED ALWAYS AS (
        {_vector(TITLE, _sections(DECISION, 'B'), _sections(RECOMMENDATION, 'C'))}
    ) STORED;
ALTER TABLE minutes_agendaitem ALTER COLUMN search_document SET STORAGE MAIN;
"""
LZ4 = "ALTER TABLE minutes_agendaitem ALTER COLUMN search_document SET COMPRESSION lz4"
# Existing rows were computed with the default storage: computed again, they follow the settings above.
# (Foreign keys are checked as the rows are written, so that the index can be built in the same transaction.)
REWRITE = "SET CONSTRAINTS ALL IMMEDIATE; UPDATE minutes_agendaitem SET closed = closed"
INDEX = "CREATE INDEX minutes_search_agendaitem_idx ON minutes_agendaitem USING gin (search_document)"
DROP_DOCUMENT = """
DROP INDEX IF EXISTS minutes_search_agendaitem_idx;
ALTER TABLE minutes_agendaitem DROP COLUMN IF EXISTS search_document, DROP COLUMN IF EXISTS search_summary;
"""
FOLLOWUP_INDEX = GinIndex(SearchVector("title", config="danish"), name="minutes_search_followup_idx")


def add_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ADD_DOCUMENT)
    try:
        with transaction.atomic():
            schema_editor.execute(LZ4)
    except DatabaseError:  # a server built without lz4 keeps its default compression
        pass
    schema_editor.execute(REWRITE)
    schema_editor.execute(INDEX)
    schema_editor.add_index(apps.get_model("tracker", "ActionItem"), FOLLOWUP_INDEX)


def remove_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("tracker", "ActionItem"), FOLLOWUP_INDEX)
    schema_editor.execute(DROP_DOCUMENT)


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0001_initial"),
        ("tracker", "0002_roleassignment_one_holder"),
    ]

    operations = [migrations.RunPython(add_search, remove_search)]
