"""The /oai/ endpoint: one view answering the six verbs by GET or POST, written with lxml."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from library.formats.dublin_core import OAI_DC_NAMESPACE, OAI_DC_SCHEMA, record_to_dc
from library.formats.marc import MARCXML_NAMESPACE, record_to_marcxml_element
from library.oai import repository, tokens
from library.oai.protocol import OAIError, OAIRequest, date_range, parse_request

OAI_NAMESPACE = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PAGE_SIZE = 100
METADATA_FORMATS = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NAMESPACE, record_to_dc),
    "marc21": (
        "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
        MARCXML_NAMESPACE,
        record_to_marcxml_element,
    ),
}


def oai(tag: str) -> str:
    return f"{{{OAI_NAMESPACE}}}{tag}"


def sub(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, oai(tag), **attributes)
    if text is not None:
        element.text = text
    return element


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def endpoint(request):
    """Answer an OAI-PMH request; errors are OAI-PMH error elements with status 200."""
    query = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(request.path)
    root = etree.Element(oai("OAI-PMH"), nsmap={None: OAI_NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_NAMESPACE} {OAI_SCHEMA}")
    sub(root, "responseDate", repository.seconds(timezone.now()))
    echo = sub(root, "request", base_url)
    try:
        oai_request = parse_request(query)
    except OAIError as error:
        # After badVerb or badArgument the request element carries the base URL only.
        sub(root, "error", error.message, code=error.code)
        return xml_response(root)
    echo.set("verb", oai_request.verb)
    for name, value in oai_request.arguments.items():
        echo.set(name, value)
    site_root = request.build_absolute_uri("/").rstrip("/")
    try:
        ANSWERS[oai_request.verb](root, oai_request, base_url, site_root)
    except OAIError as error:
        for child in root.findall(oai(oai_request.verb)):
            root.remove(child)
        if error.code == "badArgument":
            echo.attrib.clear()
        sub(root, "error", error.message, code=error.code)
    return xml_response(root)


def xml_response(root) -> HttpResponse:
    return HttpResponse(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
        content_type="text/xml; charset=utf-8",
    )


def identify(root, oai_request: OAIRequest, base_url: str, site_root: str) -> None:
    answer = sub(root, "Identify")
    sub(answer, "repositoryName", getattr(settings, "WAGTAIL_SITE_NAME", "Shelfmark"))
    sub(answer, "baseURL", base_url)
    sub(answer, "protocolVersion", "2.0")
    sub(answer, "adminEmail", admin_email())
    sub(answer, "earliestDatestamp", repository.seconds(repository.earliest_datestamp()))
    sub(answer, "deletedRecord", "persistent")
    sub(answer, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def admin_email() -> str:
    """The address in DEFAULT_FROM_EMAIL ("Shelfmark <library@example.org>" gives the latter)."""
    sender = getattr(settings, "SHELFMARK_OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def list_metadata_formats(root, oai_request: OAIRequest, base_url: str, site_root: str) -> None:
    identifier = oai_request.arguments.get("identifier")
    if identifier is not None:
        find_item(identifier)
    answer = sub(root, "ListMetadataFormats")
    for prefix, (schema, namespace, _write) in METADATA_FORMATS.items():
        entry = sub(answer, "metadataFormat")
        sub(entry, "metadataPrefix", prefix)
        sub(entry, "schema", schema)
        sub(entry, "metadataNamespace", namespace)


def list_sets(root, oai_request: OAIRequest, base_url: str, site_root: str) -> None:
    if "resumptionToken" in oai_request.arguments:
        raise OAIError(
            "badResumptionToken", "The list of sets comes in one page; ask without a token."
        )
    answer = sub(root, "ListSets")
    for spec, name in repository.all_sets():
        entry = sub(answer, "set")
        sub(entry, "setSpec", spec)
        sub(entry, "setName", name)


def find_item(identifier: str) -> repository.Item:
    record_id = repository.record_id_of(identifier)
    item = repository.find(record_id) if record_id is not None else None
    if item is None:
        raise OAIError("idDoesNotExist", f"There is no record “{identifier[:80]}” here.")
    return item


def metadata_writer(prefix: str):
    try:
        return METADATA_FORMATS[prefix][2]
    except KeyError:
        raise OAIError(
            "cannotDisseminateFormat",
            f"“{prefix[:40]}” is not offered; use one of: {', '.join(METADATA_FORMATS)}.",
        ) from None


def get_record(root, oai_request: OAIRequest, base_url: str, site_root: str) -> None:
    write = metadata_writer(oai_request.arguments["metadataPrefix"])
    item = find_item(oai_request.arguments["identifier"])
    write_record(sub(root, "GetRecord"), item, write, site_root)


def write_header(parent, item: repository.Item) -> None:
    header = sub(parent, "header", **({"status": "deleted"} if item.deleted else {}))
    sub(header, "identifier", repository.oai_identifier(item.record_id))
    sub(header, "datestamp", repository.seconds(item.stamp))
    for spec in item.set_specs:
        sub(header, "setSpec", spec)


def write_record(parent, item: repository.Item, write, site_root: str) -> None:
    record = sub(parent, "record")
    write_header(record, item)
    if not item.deleted and item.record is not None:
        sub(record, "metadata").append(write(item.record, site_root))


def start_position(oai_request: OAIRequest) -> tuple[tokens.Position, repository.Selection]:
    """Where the list starts: from a resumption token, or from the request's arguments."""
    now = timezone.now()
    arguments = oai_request.arguments
    if "resumptionToken" in arguments:
        try:
            position = tokens.read(arguments["resumptionToken"], oai_request.verb, now)
        except tokens.BadToken as error:
            raise OAIError("badResumptionToken", str(error)) from None
    else:
        metadata_writer(arguments["metadataPrefix"])
        position = tokens.Position(
            verb=oai_request.verb,
            prefix=arguments["metadataPrefix"],
            set_spec=arguments.get("set", ""),
            from_=arguments.get("from", ""),
            until=arguments.get("until", ""),
            after_stamp="",
            after_id=0,
            cursor=0,
            total=-1,
            expires="",
        )
    start, end = date_range(position.from_ or None, position.until or None)
    set_spec = None
    if position.set_spec:
        set_spec = repository.parse_set(position.set_spec)
        if set_spec is None:
            raise OAIError("noRecordsMatch", f"There is no set “{position.set_spec[:80]}” here.")
    return position, repository.Selection(set_spec=set_spec, from_=start, until=end)


def list_items(root, oai_request: OAIRequest, base_url: str, site_root: str) -> None:
    position, selection = start_position(oai_request)
    with_records = oai_request.verb == "ListRecords"
    after = None
    if position.after_stamp:
        after = (datetime.datetime.fromisoformat(position.after_stamp), position.after_id)
    items, more = repository.page_of(selection, after, PAGE_SIZE, with_records)
    if not items:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    total = position.total if position.total >= 0 else repository.count(selection)
    answer = sub(root, oai_request.verb)
    write = metadata_writer(position.prefix)
    for item in items:
        if with_records:
            write_record(answer, item, write, site_root)
        else:
            write_header(answer, item)
    if more or position.cursor:
        write_token(answer, position, items[-1], more, total)


def write_token(answer, position: tokens.Position, last, more: bool, total: int) -> None:
    """The resumptionToken element: a new token while more follow, an empty one at the end."""
    attributes = {"completeListSize": str(total), "cursor": str(position.cursor)}
    if not more:
        sub(answer, "resumptionToken", "", **attributes)
        return
    expires = timezone.now() + tokens.TOKEN_LIFETIME
    token = tokens.issue(
        tokens.Position(
            verb=position.verb,
            prefix=position.prefix,
            set_spec=position.set_spec,
            from_=position.from_,
            until=position.until,
            after_stamp=last.stamp.isoformat(),
            after_id=last.record_id,
            cursor=position.cursor + PAGE_SIZE,
            total=total,
            expires=expires.isoformat(),
        )
    )
    sub(answer, "resumptionToken", token, expirationDate=repository.seconds(expires), **attributes)


ANSWERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_items,
    "ListRecords": list_items,
}
