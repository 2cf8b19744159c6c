"""The search function every caller uses: the site, the case review pages, the API and the
digests all come through `search_catalogue`."""

import re

from django.db import connection
from django.utils.translation import gettext as _

from library.models.records import contributor_name
from library.models.snippets import Subject
from library.search.engines import get_engine
from library.search.known_item import identifier_tree, relaxed_tree, with_years
from library.search.params import SearchParams
from library.search.query import (
    FACET_FIELDS,
    And,
    FacetIs,
    Not,
    Or,
    Term,
    describe,
    parse_query,
    positive_leaves,
    replace_facet_values,
)
from library.search.results import (
    FacetValue,
    ResultRecord,
    SearchHit,
    SearchResults,
    site_path,
    site_roots,
)
from library.search.snapshot import FacetLabels
from library.search.thesaurus import expand
from library.visibility import Audience, RecordFilter, record_filter_for

FEW_RESULTS = 3


def search_catalogue(params: SearchParams, who, *, within=None) -> SearchResults:
    """Search the records the caller may see (`who`: a user, a request or an Audience, see
    library.visibility); `within` limits the search to one section page."""
    engine = get_engine()
    messages = [*params.messages]
    record_filter = record_filter_for(who)
    # An unreachable engine raises SearchUnavailable: the site answers 503 with a page that
    # says so (library.middleware), the API a 503 problem (library.api.plumbing).
    snapshot = engine.snapshot()
    parsed = parse_query(params.q)
    messages += parsed.notes
    resolved = with_identifier_forms(resolve_facet_values(parsed.tree, snapshot.labels(), messages))
    asked = identifier_tree(params.q) if resolved is not None else None
    tree = expand(asked or resolved, snapshot.synonyms)
    engine_params = _with_ids(params)
    section_id = within.pk if within is not None else None
    result = engine.search(
        tree, engine_params, record_filter, snapshot=snapshot, section_id=section_id
    )
    understood = describe(tree) if tree is not None else ""
    if result.count == 0 and asked is None:
        for fallback, note in _fallbacks(resolved):
            wider = expand(fallback, snapshot.synonyms)
            found = engine.search(
                wider, engine_params, record_filter, snapshot=snapshot, section_id=section_id
            )
            if found.count:
                tree, result = wider, found
                understood = note or describe(wider)
                if note:
                    messages.append(_("No record has all of your words; these have most of them."))
                break
    suggestion = ""
    if parsed.tree is not None and result.count < FEW_RESULTS:
        suggestion = _suggestion(params.q, parsed.tree, engine, record_filter, snapshot)
    labels = snapshot.labels()
    records = _load_records(result.ids, record_filter.audience, labels)
    if 0 < result.count <= params.offset:
        messages.append(
            _("This page is past the last result; go back to page 1 to see all %(count)s.")
            % {"count": result.count}
        )
    if result.count == 0:
        messages.append(
            _("No records matched. Check the spelling, use fewer words, or remove a filter.")
            if params.q or params.filters
            else _("There are no records here yet.")
        )
    return SearchResults(
        count=result.count,
        hits=[
            SearchHit(record=record, highlight=result.highlights.get(record.pk, ""))
            for record in records
        ],
        facets=_label_facets(result.facets, params, labels),
        suggestion=suggestion,
        understood=understood,
        messages=messages,
        offset=params.offset,
        limit=params.limit,
    )


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def _initials(label: str) -> str:
    return "".join(word[0] for word in re.findall(r"\w+", label.casefold()))


def resolve_facet_values(tree, labels: FacetLabels, messages: list[str]):
    """Each `nation:`, `type:`, `review:` and `availability:` value as the facet's own code,
    matched to a code, a label or a label's initials ("wales", "Northern Ireland", "ni",
    "scr"); a value that is none of them matches nothing and the user is told the choices."""
    if tree is None:
        return None

    def resolve(node: FacetIs) -> FacetIs:
        choices = labels.choices.get(node.facet, {})
        wanted = _folded(node.value)
        for code, label in choices.items():
            if wanted in {_folded(code), _folded(label)}:
                return FacetIs(node.facet, code)
        by_initials = [code for code, label in choices.items() if _initials(label) == wanted]
        if len(by_initials) == 1:
            return FacetIs(node.facet, by_initials[0])
        field = next(name for name, facet in FACET_FIELDS.items() if facet == node.facet)
        messages.append(
            _("%(field)s:%(value)s matches nothing: %(field)s: takes one of %(choices)s.")
            % {
                "field": field,
                "value": node.value,
                "choices": ", ".join(sorted(str(label) for label in choices.values())),
            }
        )
        return node

    return replace_facet_values(tree, resolve)


def with_identifier_forms(tree):
    """`isbn:` and `doi:` words as every form the record may be indexed under (an ISBN in
    either length, a DOI without its resolver address), as a bare identifier is searched, so
    every engine finds the same records."""
    if isinstance(tree, Term) and tree.field in {"isbn", "doi"} and not tree.prefix:
        return identifier_tree(tree.text) or tree
    if isinstance(tree, And | Or):
        return type(tree)(tuple(with_identifier_forms(child) for child in tree.children))
    if isinstance(tree, Not):
        return Not(with_identifier_forms(tree.child))
    return tree


def _fallbacks(tree):
    """Wider queries to try, in order, when every word was required and nothing matched:
    four-figure words also as years, then most of the words (all but one, all but two),
    each with what "understood as" should say ("" to describe the query itself)."""
    yeared = with_years(tree)
    if yeared is not None:
        yield yeared, ""
    for fewer in (1, 2):
        relaxed = relaxed_tree(tree, fewer)
        if relaxed is None or relaxed.need * 2 <= len(relaxed.words):
            return
        yield (
            relaxed.tree,
            _("at least %(need)s of the %(total)s words: %(words)s")
            % {
                "need": relaxed.need,
                "total": len(relaxed.words),
                "words": " ".join(relaxed.words),
            },
        )


def _with_ids(params: SearchParams) -> SearchParams:
    """Subject filters may name slugs (the site) or ids (the API); engines take ids."""

    wanted = params.selected("subject")
    if not wanted:
        return params
    slugs = [value for value in wanted if not value.isdigit()]
    ids = [value for value in wanted if value.isdigit()]
    ids += [str(pk) for pk in Subject.objects.filter(slug__in=slugs).values_list("pk", flat=True)]
    filters = {**params.filters, "subject": ids or ["0"]}
    return SearchParams(**{**params.__dict__, "filters": filters})


def _load_records(ids: list[int], audience: Audience, labels: FacetLabels) -> list[ResultRecord]:
    """The page's records in engine order, re-checked against restrictions and liveness (the
    index may lag a moment behind an unpublish), read as plain rows in a few small queries."""

    if not ids:
        return []
    placeholders = ", ".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page.id, page.title, record.record_type, record.publisher, "  # noqa: S608 - only placeholders are formatted in
            "record.publication_year, record.date_added, page.url_path, page.path "
            "FROM library_cataloguerecord record "
            "JOIN wagtailcore_page page ON page.id = record.page_ptr_id "
            f"WHERE page.live AND page.id IN ({placeholders})",
            ids,
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT record_id, family_name, given_names, is_organisation "  # noqa: S608 - only placeholders are formatted in
            "FROM library_recordcontributor "
            f"WHERE record_id IN ({placeholders}) "
            "ORDER BY record_id, sort_order, id",
            ids,
        )
        contributors = cursor.fetchall()
    names: dict[int, list[str]] = {}
    for record_id, family, given, organisation in contributors:
        names.setdefault(record_id, []).append(contributor_name(family, given, bool(organisation)))
    type_labels = labels.choices["record_type"]
    roots = site_roots()
    found = {
        pk: ResultRecord(
            pk=pk,
            title=title,
            record_type=record_type,
            record_type_label=type_labels.get(record_type, record_type),
            publisher=publisher,
            publication_year=year,
            date_added=added,
            url_path=url_path,
            author_names=names.get(pk, []),
            url=site_path(url_path, roots),
        )
        for pk, title, record_type, publisher, year, added, url_path, path in rows
        if audience.may_see(path)
    }
    return [found[pk] for pk in ids if pk in found]


def _label_facets(
    facets: dict, params: SearchParams, labels: FacetLabels
) -> dict[str, list[FacetValue]]:
    labelled: dict[str, list[FacetValue]] = {}
    for name, pairs in facets.items():
        selected = set(params.selected(name))
        values = []
        for value, count in pairs:
            if name == "subject":
                if value not in labels.subjects:
                    continue
                slug, label = labels.subjects[value]
                values.append(FacetValue(slug, label, count, slug in selected or value in selected))
            elif name == "year":
                label = _("%(decade)s to %(end)s") % {"decade": value, "end": int(value) + 9}
                values.append(FacetValue(value, label, count, False))
            else:
                label = labels.choices.get(name, {}).get(value, value)
                values.append(FacetValue(value, label, count, value in selected))
        labelled[name] = values
    return labelled


def _suggestion(q: str, tree, engine, record_filter: RecordFilter, snapshot) -> str:
    """The query with misspelt words replaced by the closest indexed words that find a record
    the caller may see (so a restricted record's words are never offered), or ""."""
    suggested = q
    changed = False
    for leaf in positive_leaves(tree):
        if not isinstance(leaf, Term) or leaf.prefix or leaf.field is not None:
            continue
        for candidate in engine.suggest(leaf.text):
            if candidate == leaf.text.casefold():
                break
            if engine.finds_any(Term(candidate), record_filter, snapshot=snapshot):
                suggested = re.sub(
                    rf"(?<!\w){re.escape(leaf.text)}(?!\w)", candidate, suggested, count=1
                )
                changed = True
                break
    return suggested if changed else ""


def explain_ranking(params: SearchParams, record_ids: list[int]) -> dict:
    """For staff tuning weights and synonyms: why each of these records scored what it did
    for the query in `params` (record id → library.search.ranking.Explanation). Only the
    embedded engines score this way; elsewhere the answer is empty."""
    engine = get_engine()
    explain = getattr(engine, "explain", None)
    parsed = parse_query(params.q)
    if explain is None or parsed.tree is None:
        return {}
    snapshot = engine.snapshot()
    tree = expand(identifier_tree(params.q) or parsed.tree, snapshot.synonyms)
    return explain(tree, [int(pk) for pk in record_ids], snapshot)
