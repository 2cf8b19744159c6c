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
from typing import Any

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
        build: Callable[..., Any] = Page,
    ) -> list:
        """Unsaved live Page rows for (title, published at) pairs, after the existing children
        (`build` makes each from its field values: a Page, or a dict for `insert_rows`)."""
        pages = []
        for title, published in entries:
            step = self.next_step
            self.next_step += 1
            slug = f"{slugify(title)[:60].strip('-')}-{step}"
            pages.append(
                build(
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

    def insert_pages(self, entries: list[tuple[str, datetime.datetime]]) -> list[int]:
        """Insert `pages(entries)` as plain rows and return their ids, in order: building and
        saving Page instances (bulk_create) was a third of an import's time."""
        pages = self.pages(entries, build=dict)
        if not pages:
            return []
        insert_rows(Page, pages)
        ids = dict(
            Page.objects.filter(
                depth=self.depth, path__gte=pages[0]["path"], path__lte=pages[-1]["path"]
            ).values_list("path", "pk")
        )
        return [ids[page["path"]] for page in pages]

    def grow_parent(self, added: int) -> None:
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + added)


# Fields whose database value is the Python value itself when that is None, a str, an int or a
# bool: converting each such value through its field was most of an insert's Python time.
_PLAIN_FIELD_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "SlugField",
        "URLField",
        "EmailField",
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "BooleanField",
        "ForeignKey",
        "OneToOneField",
    }
)
_PLAIN_VALUE_TYPES = (str, int, bool)


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows into `model`'s own table (not its parents'), as multi-table bulk_create won't."""
    if not rows:
        return
    auto = model._meta.auto_field
    # The database numbers the rows when no id is given.
    fields = [
        f for f in model._meta.local_concrete_fields if f is not auto or auto.attname in rows[0]
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    defaults = {f.attname: f.get_default() for f in fields}
    plain = [f.get_internal_type() in _PLAIN_FIELD_TYPES for f in fields]
    values = [
        [
            value
            if is_plain and (value is None or type(value) in _PLAIN_VALUE_TYPES)
            else f.get_db_prep_save(value, connection)
            for f, is_plain, value in (
                (f, is_plain, row.get(f.attname, defaults[f.attname]))
                for f, is_plain in zip(fields, plain, strict=True)
            )
        ]
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
