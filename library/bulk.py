"""Writing many catalogue records at once: bulk inserts that keep Wagtail's page tree valid.

Wagtail pages are treebeard materialised-path nodes, so each new page gets its `path` (the
parent's path plus a base-36 step of four characters), `depth` and `url_path` here, and the
parent's `numchild` is raised in the same transaction as each batch, so the tree stays valid
after every committed batch. The import (`library.imports`) and the demo generator use it.

Bulk inserts skip save() and signals: the caller indexes the records and prepares their API
details afterwards (`library.search.indexing.index_records`, `prepare_record_details`).
"""

import datetime
import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils.text import slugify
from wagtail.models import Page


class TreeWriter:
    """Appends children to one parent page with bulk inserts, keeping the tree valid."""

    def __init__(self, parent: Page, model):
        self.parent = parent
        self.model = model
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        last = parent.get_children().order_by("-path").values_list("path", flat=True).first()
        # treebeard (5.3) has no public path helper; tests/demo/test_synthetic_records.py checks
        # with Page.find_problems() that its private _str2int and _get_path still give valid paths.
        self.next_step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        self.depth = parent.depth + 1

    def pages(
        self,
        entries: list[tuple[str, datetime.datetime]],
        new_key: Callable[[], uuid.UUID] = uuid.uuid4,
    ) -> list[Page]:
        """Unsaved live Page rows for (title, published at) pairs, after the existing children."""
        pages = []
        for title, published in entries:
            step = self.next_step
            self.next_step += 1
            slug = f"{slugify(title)[:60].strip('-')}-{step}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type_id=self.content_type_id,
                    path=Page._get_path(self.parent.path, self.depth, step),
                    depth=self.depth,
                    numchild=0,
                    url_path=f"{self.parent.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    locale_id=self.parent.locale_id,
                    translation_key=new_key(),
                    show_in_menus=False,
                )
            )
        return pages

    def grow_parent(self, added: int) -> None:
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + added)


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows into `model`'s own table (not its parents'), as multi-table bulk_create won't."""
    if not rows:
        return
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    defaults = {f.attname: f.get_default() for f in fields}
    values = [
        [f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def insert_tuples(model, columns: list[str], rows) -> None:
    """Insert plain value tuples into `model`'s table: no model instances, for speed."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(name).column) for name in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def delete_rows(model, column: str, value) -> None:
    """Delete the rows of `model` whose `column` field equals `value`, without signals (the
    caller reindexes the records it changed in bulk afterwards)."""
    quote = connection.ops.quote_name
    table, column_name = quote(model._meta.db_table), quote(model._meta.get_field(column).column)
    sql = f"DELETE FROM {table} WHERE {column_name} = %s"  # noqa: S608 - names from model metadata
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
