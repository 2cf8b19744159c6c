"""What a record page offers reference managers: citation metadata in its head, "Cite this"
in a choice of styles, and every export format (library.formats)."""

import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from library.formats.citations import (
    AVAILABLE_STYLES,
    DEFAULT_STYLE,
    UnknownStyle,
    get_style,
    render_citation,
)
from library.formats.csl import record_to_csl
from library.formats.exporters import EXPORT_FORMATS
from library.formats.page_metadata import coins, highwire_tags, schema_org
from library.record_details import api_path

register = template.Library()
# Characters that would let JSON-LD text end its <script> element early.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def full_text_pdf_url(record, request) -> str:
    """The address of the record's first PDF while its documents are online, else ""."""
    if not record.documents_online():
        return ""
    documents = [item for item in record.attached_documents.all() if item.file_type() == "PDF"]
    documents.sort(key=lambda item: item.kind != "full-report")
    return request.build_absolute_uri(documents[0].document.url) if documents else ""


def _item(context, record) -> dict:
    """The record's CSL item, built once per page render."""
    cached = context.render_context.get(("csl", record.pk))
    if cached is None:
        base_url = context["request"].build_absolute_uri("/").rstrip("/")
        cached = record_to_csl(record, base_url)
        context.render_context[("csl", record.pk)] = cached
    return cached


@register.inclusion_tag("library/includes/record_head_metadata.html", takes_context=True)
def record_head_metadata(context, record):
    """Highwire `citation_*` meta tags and schema.org JSON-LD for the page head."""
    request = context["request"]
    item = _item(context, record)
    pdf_url = full_text_pdf_url(record, request)
    linked_data = schema_org(item, record.get_full_url(request) or "", pdf_url)
    return {
        "meta_tags": highwire_tags(item, pdf_url),
        "json_ld": mark_safe(json.dumps(linked_data, ensure_ascii=False).translate(_SCRIPT_SAFE)),  # noqa: S308 - JSON with <, > and & escaped
    }


@register.inclusion_tag("library/includes/cite_this.html", takes_context=True)
def cite_this(context, record):
    """The citation in the style asked for (`?style=`), the style choice, COinS and exports."""
    request = context["request"]
    item = _item(context, record)
    asked = request.GET.get("style", "")
    message = ""
    try:
        style = get_style(asked or DEFAULT_STYLE)
    except UnknownStyle:
        style = get_style(DEFAULT_STYLE)
        message = _("We do not offer a citation style called “%(name)s”; this is %(default)s.") % {
            "name": asked[:80],
            "default": style.label,
        }
    export_path = api_path("catalogue_record_export", record_id=record.pk)
    return {
        "record": record,
        "styles": AVAILABLE_STYLES,
        "chosen_style": style,
        "style_message": message,
        "citation": mark_safe(render_citation(item, style.name)),  # noqa: S308 - escaped by formats
        "plain_citation": render_citation(item, style.name, output="plain"),
        "coins": coins(item),
        "exports": [
            (export_format.label, f"{export_path}?format={name}", export_format.media_type)
            for name, export_format in EXPORT_FORMATS.items()
        ],
    }
