"""Catalogue search on Elasticsearch (used when ELASTICSEARCH_URL is set).

The parsed query tree is compiled to elasticsearch-dsl queries; filters, the visibility rule,
facet aggregations and highlighting go out in the same request, so one round trip answers a
results page. The index lives behind an alias: a rebuild fills a new
timestamped index and then moves the alias in one atomic step, so searches never see a
half-built or empty index.
"""

import contextlib
import functools
import html
import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from elastic_transport import Transport, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Q, Search
from elasticsearch_dsl.query import Query

from library import identifiers as identifier_rules
from library.search.documents import SearchDocument
from library.search.engines.base import EngineResult, SearchEngine, SearchUnavailable
from library.search.engines.elasticsearch_mapping import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    CatalogueDocument,
    fold,
    index_definition,
    thesaurus_synonyms,
)
from library.search.params import SearchParams
from library.search.query import (
    And,
    FacetIs,
    Node,
    Not,
    Or,
    Phrase,
    Synonyms,
    Term,
    YearRange,
)
from library.search.snapshot import Snapshot
from library.visibility import RecordFilter

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "shelfmark-catalogue"
# Title and subject matches outrank matches in the abstract and notes (the body).
# The weights of library.search.ranking.FIELD_WEIGHTS (a title here holds its subtitle).
FIELD_BOOSTS = {
    "title": 10.0,
    "subjects": 4.0,
    "keywords": 4.0,
    "authors": 3.0,
    "board": 1.5,
    "publisher": 1.5,
    "identifiers": 4.0,
    "body": 0.5,
}
# The query's words together in the title (one other word between allowed), and the whole
# query as the exact title: the phrase and exact-title boosts of library.search.ranking.
PHRASE_BOOST = 20.0
EXACT_TITLE_BOOST = 50.0
# A typed word in the first author's name, as library.search.ranking.FIRST_AUTHOR is to its
# exact-title boost.
FIRST_AUTHOR_BOOST = 10.0
QUERY_FIELDS = {
    "title": "title",
    "author": "authors",
    "subject": "subjects",
    "keyword": "keywords",
    "publisher": "publisher",
    "board": "board",
    "isbn": "identifiers",
    "doi": "identifiers",
}
# Unstemmed fields for word* prefixes; `suggest` gathers every text field, body included.
PREFIX_FIELDS = {
    "title.plain": 10.0,
    "subjects.plain": 4.0,
    "keywords.plain": 4.0,
    "authors.plain": 3.0,
    "suggest": 1.0,
}
# Facet name -> (indexed keyword field, how many values to return). The sizes exceed any
# vocabulary the charity keeps, so every value with a match is counted.
FACET_FIELDS = {
    "record_type": ("record_type", 100),
    "subject": ("subject_ids", 2000),
    "year": ("decade", 300),
    "nation": ("nation", 50),
    "review_type": ("review_type", 100),
    "board": ("board_id", 2000),
    "availability": ("availability", 50),
}
FILTER_FIELDS = {
    "record_type": "record_type",
    "subject": "subject_ids",
    "nation": "nation",
    "review_type": "review_type",
    "board": "board_id",
    "availability": "availability",
}
SORTS = {
    "relevance": ["_score", {"year": {"order": "desc", "missing": "_last"}}, {"record_id": "desc"}],
    "newest": [
        {"year": {"order": "desc", "missing": "_last"}},
        {"date_added": {"order": "desc"}},
        {"record_id": "desc"},
    ],
    "oldest": [
        {"year": {"order": "asc", "missing": "_last"}},
        {"date_added": {"order": "asc"}},
        {"record_id": "asc"},
    ],
    "title": [{"title_sort": "asc"}, {"record_id": "asc"}],
}
BULK_CHUNK = 500
_WORD = re.compile(r"\w+")


class SearchUnavailableError(SearchUnavailable, RuntimeError):
    """Elasticsearch could not be reached or refused the request; the caller should say so."""


UNREACHABLE = "The catalogue search service could not be reached; try again in a minute."


def reachable(method):
    """Report a cluster that cannot be reached as SearchUnavailable, so that callers (the
    index task, the rebuild command) handle one exception whatever the engine."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except TransportError as error:
            raise SearchUnavailableError(UNREACHABLE) from error

    return wrapper


# The client -------------------------------------------------------------------------------


class PlainJsonTransport(Transport):
    """Sends plain `application/json` instead of the 8.x client's versioned media type.

    The Elasticsearch 8 client marks every request `compatible-with=8`; Elasticsearch accepts
    that, but OpenSearch-compatible servers (such as the in-memory test server) answer 406.
    Only enable this for such servers: Elasticsearch itself treats plain JSON as "current".
    """

    def perform_request(self, method, target, *, headers=None, **options):
        if headers:
            headers = {
                name: _plain_media_type(value)
                if name.lower() in {"accept", "content-type"}
                else value
                for name, value in dict(headers).items()
            }
        return super().perform_request(method, target, headers=headers, **options)


def _plain_media_type(value: str) -> str:
    # "application/vnd.elasticsearch+x-ndjson; compatible-with=8" -> "application/x-ndjson"
    return value.split(";")[0].replace("vnd.elasticsearch+", "").strip()


@functools.cache
def make_client(url: str, *, plain_json: bool = False) -> Elasticsearch:
    """An Elasticsearch client for `url`; `plain_json` for OpenSearch-compatible servers.

    One per address and process: the client is thread-safe and keeps its connections open,
    while get_engine() builds an engine for every search.
    """
    return Elasticsearch(
        url,
        transport_class=PlainJsonTransport if plain_json else Transport,
        request_timeout=10,
        max_retries=2,
        retry_on_timeout=True,
    )


# Compiling the query tree -------------------------------------------------------------------


def boosted(fields: dict[str, float] | Iterable[str]) -> list[str]:
    """Field names with their boosts in multi_match syntax ("title^5")."""
    weights = fields if isinstance(fields, dict) else dict.fromkeys(fields, 1.0)
    return [name if weight == 1.0 else f"{name}^{weight:g}" for name, weight in weights.items()]


def identifier_values(text: str, field: str | None) -> list[str]:
    """What an ISBN or DOI may be indexed as: compacted, and an ISBN in both lengths."""
    compact = re.sub(r"[\s\-\u2010\u2011\u2013]", "", text).casefold()
    values = [compact]
    if field in {None, "isbn"}:
        try:
            isbn = identifier_rules.normalise_isbn(text)
        except ValueError:
            isbn = ""
        if isbn:
            values += [isbn, identifier_rules.isbn_to_13(isbn), identifier_rules.isbn_to_10(isbn)]
    if field in {None, "doi"}:
        with contextlib.suppress(ValueError):
            values.append(identifier_rules.normalise_doi(text))
    return list(dict.fromkeys(value.casefold() for value in values if value))


def _identifier_query(node: Term | Phrase) -> Query:
    values = identifier_values(node.text, node.field) or [node.text.casefold()]
    if isinstance(node, Term) and node.prefix:
        return Q("prefix", identifiers=values[0])
    return Q(
        "bool",
        should=[Q("match", identifiers=value) for value in values],
        minimum_should_match=1,
    )


def _fields_for(field: str | None) -> dict[str, float]:
    name = QUERY_FIELDS.get(field or "")
    return {name: FIELD_BOOSTS[name]} if name else dict(FIELD_BOOSTS)


def _prefix_query(node: Term) -> Query:
    name = QUERY_FIELDS.get(node.field or "")
    fields = {f"{name}.plain": 1.0} if name else PREFIX_FIELDS
    folded = fold(node.text)
    if _WORD.fullmatch(folded):
        # A prefix query reaches every word that starts so (no cap on expansions).
        return Q(
            "bool",
            should=[
                Q("prefix", **{field: {"value": folded, "boost": weight}})
                for field, weight in fields.items()
            ],
            minimum_should_match=1,
        )
    # "child-prot*" is several words: the last one is the prefix.
    return Q(
        "multi_match",
        query=node.text,
        type="phrase_prefix",
        fields=boosted(fields),
        max_expansions=200,
    )


def compile_node(node: Node) -> Query:
    """The Elasticsearch query for one node of the parsed query tree."""
    if isinstance(node, Term):
        if node.field in {"isbn", "doi"}:
            return _identifier_query(node)
        if node.prefix:
            return _prefix_query(node)
        # A "word" may still analyse to several tokens (child-protection): all are needed.
        return Q(
            "multi_match",
            query=node.text,
            fields=boosted(_fields_for(node.field)),
            type="best_fields",
            operator="and",
            tie_breaker=0.2,
            # A stop word ("what", "of") is ignored, as on the embedded engines' scoring,
            # rather than matching nothing in the English-analysed fields.
            zero_terms_query="all",
        )
    if isinstance(node, Phrase):
        if node.field in {"isbn", "doi"}:
            return _identifier_query(node)
        return Q(
            "multi_match", query=node.text, fields=boosted(_fields_for(node.field)), type="phrase"
        )
    if isinstance(node, YearRange):
        return Q("range", year={"gte": node.start, "lte": node.end})
    if isinstance(node, FacetIs):
        # The same field and query as the facet's filter (filter_clauses).
        return Q("terms", **{FILTER_FIELDS[node.facet]: [node.value]})
    if isinstance(node, And):
        positives = [compile_node(c) for c in node.children if not isinstance(c, Not)]
        negatives = [compile_node(c.child) for c in node.children if isinstance(c, Not)]
        return Q("bool", must=positives, must_not=negatives)
    if isinstance(node, Or):
        return Q("bool", should=[compile_node(c) for c in node.children], minimum_should_match=1)
    if isinstance(node, Not):
        return Q("bool", must_not=[compile_node(node.child)])
    if isinstance(node, Synonyms):
        field = _leaf_field(node.original)
        alternatives = [
            Phrase(text, field) if " " in text.strip() else Term(text, field)
            for text in node.alternatives
        ]
        return Q(
            "bool",
            should=[compile_node(node.original), *(compile_node(alt) for alt in alternatives)],
            minimum_should_match=1,
        )
    raise TypeError(f"Unknown query node {node!r}")


def _leaf_field(node: Node) -> str | None:
    return getattr(node, "field", None) if isinstance(node, Term | Phrase) else None


def positive_leaves(tree: Node | None) -> list[Term | Phrase]:
    """The words and phrases the user asked for, outside any NOT."""
    if isinstance(tree, Term | Phrase):
        return [tree]
    if isinstance(tree, And | Or):
        return [leaf for child in tree.children for leaf in positive_leaves(child)]
    if isinstance(tree, Synonyms):
        return positive_leaves(tree.original)
    return []


def spelling_text(tree: Node | None) -> str:
    """The words worth checking for spelling: no identifiers, no word beginnings."""
    return " ".join(
        leaf.text
        for leaf in positive_leaves(tree)
        if leaf.field not in {"isbn", "doi"} and not getattr(leaf, "prefix", False)
    )


# Elasticsearch refuses a terms query of more values than this (index.max_terms_count).
MAX_HIDDEN_IDS = 65_536


def visibility_filter(record_filter: RecordFilter) -> Query:
    """Excludes records behind a view restriction the caller has not passed, and the records
    the page tree hides now (an unpublish or new restriction the index has not caught up
    with). Always sent, so no code path can forget it; with nothing blocked it excludes
    nothing. Past MAX_HIDDEN_IDS hidden records, only the indexed restrictions apply until
    the index catches up."""
    blocked = sorted(record_filter.audience.blocked)
    excluded = [Q("terms", restriction_ids=blocked)]
    if 0 < len(record_filter.hidden_ids) <= MAX_HIDDEN_IDS:
        excluded.append(Q("terms", _id=[str(pk) for pk in record_filter.hidden_ids]))
    return Q("bool", must_not=excluded)


def filter_clauses(params: SearchParams, section_id: int | None) -> list[Query]:
    """The chosen facet values (OR within a facet, AND across facets), years and section."""
    clauses = []
    for name, field in FILTER_FIELDS.items():
        values = [str(value) for value in params.selected(name)]
        if values:
            clauses.append(Q("terms", **{field: values}))
    if params.year_from is not None or params.year_to is not None:
        bounds = {}
        if params.year_from is not None:
            bounds["gte"] = params.year_from
        if params.year_to is not None:
            bounds["lte"] = params.year_to
        clauses.append(Q("range", year=bounds))
    if section_id is not None:
        clauses.append(Q("term", section_id=section_id))
    return clauses


def build_search(
    tree: Node | None,
    params: SearchParams,
    record_filter: RecordFilter,
    *,
    section_id: int | None = None,
) -> Search:
    """The whole request for one results page: query, filters, facets, highlights, page."""
    filters = [visibility_filter(record_filter), *filter_clauses(params, section_id)]
    # Filters sit in the query (not a post_filter), so the facet counts are those of the
    # filtered result set, as on the embedded engines.
    must = [compile_node(tree)] if tree is not None else []
    sort = params.sort if params.sort in SORTS else "relevance"
    should = relevance_boosts(tree) if sort == "relevance" else []
    search = Search().query(Q("bool", must=must, should=should, filter=filters))
    if sort == "relevance" and tree is None:
        sort = "newest"
    search = search.sort(*SORTS[sort])
    search = search.extra(track_total_hits=True).source(False)
    search = search[params.offset : params.offset + params.limit]
    for name, (field, size) in FACET_FIELDS.items():
        search.aggs.bucket(name, "terms", field=field, size=size)
    if positive_leaves(tree):
        search = search.highlight_options(
            pre_tags=[HIGHLIGHT_START],
            post_tags=[HIGHLIGHT_END],
            # Prefix queries run on the unstemmed subfields; let them light up the text too.
            require_field_match=False,
        )
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight("body", fragment_size=160, number_of_fragments=2)
    return search


def relevance_boosts(tree: Node | None) -> list[Query]:
    """Optional clauses that only add to the score: the words typed (outside fields) as a
    phrase in the title, as the whole title (folded and normalised as title_sort is), and in
    the first author's name."""
    leaves = [leaf for leaf in positive_leaves(tree) if not getattr(leaf, "prefix", False)]
    words = " ".join(leaf.text for leaf in leaves if leaf.field in {None, "title"})
    names = " ".join(leaf.text for leaf in leaves if leaf.field in {None, "author"})
    if len(_WORD.findall(words)) < 2:
        return []
    exact = fold(" ".join(_WORD.findall(words.casefold())))[:200]
    return [
        Q("match_phrase", title={"query": words, "slop": 1, "boost": PHRASE_BOOST}),
        Q("term", title_sort={"value": exact, "boost": EXACT_TITLE_BOOST}),
        Q("match", first_author={"query": names, "boost": FIRST_AUTHOR_BOOST}),
    ]


def add_suggesters(search: Search, text: str) -> Search:
    """A phrase suggester (whole-query corrections) with a per-word term suggester beside it."""
    search = search.suggest(
        "spelling_phrase",
        text,
        phrase={
            "field": "suggest",
            "size": 1,
            "max_errors": 2,
            "direct_generator": [{"field": "suggest", "suggest_mode": "missing"}],
        },
    )
    return search.suggest(
        "spelling_terms", text, term={"field": "suggest", "suggest_mode": "missing", "size": 1}
    )


# Reading responses ------------------------------------------------------------------------


def render_highlight(fragment: str) -> str:
    """Escape a highlighted fragment and turn the markers into <mark> elements."""
    escaped = html.escape(fragment)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")


def highlight_of(hit: dict) -> str:
    """The body's matching passages, else the highlighted title, as safe HTML."""
    fields = hit.get("highlight") or {}
    for name in ("body", "title"):
        fragments = [text for text in fields.get(name) or [] if HIGHLIGHT_START in text]
        if fragments:
            break
    return " … ".join(render_highlight(fragment) for fragment in fragments)


def facets_of(aggregations: dict) -> dict[str, list[tuple[str, int]]]:
    """Facet counts keyed by facet name; decades newest first, the rest largest first."""
    facets = {}
    for name in FACET_FIELDS:
        buckets = (aggregations.get(name) or {}).get("buckets", [])
        pairs = [(str(bucket["key"]), int(bucket["doc_count"])) for bucket in buckets]
        pairs = [(value, count) for value, count in pairs if value and count]
        if name == "year":
            facets[name] = sorted(pairs, key=lambda pair: int(pair[0]), reverse=True)
        else:
            facets[name] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return facets


def suggestion_of(suggest: dict, text: str) -> str:
    """The phrase suggester's correction, else the input with each misspelt word replaced."""
    for entry in suggest.get("spelling_phrase") or []:
        options = entry.get("options") or []
        if options and fold(options[0]["text"]) != fold(entry.get("text", "")):
            return options[0]["text"]
    corrected, changed, position = [], False, 0
    for entry in sorted(suggest.get("spelling_terms") or [], key=lambda e: e["offset"]):
        options = entry.get("options") or []
        if not options:
            continue
        start, end = entry["offset"], entry["offset"] + entry["length"]
        corrected += [text[position:start], options[0]["text"]]
        position, changed = end, True
    return "".join([*corrected, text[position:]]) if changed else ""


# The engine ------------------------------------------------------------------------------


class ElasticsearchEngine(SearchEngine):
    """Catalogue search on Elasticsearch behind the engine contract.

    `index` names the alias searches and writes use; `plain_json` makes the client talk to
    OpenSearch-compatible servers (see PlainJsonTransport); `synonyms` overrides the
    thesaurus rules read from the database when an index is created.
    """

    name = "elasticsearch"

    def __init__(
        self,
        url: str = "",
        *,
        index: str | None = None,
        plain_json: bool | None = None,
        synonyms: list[str] | None = None,
        client: Elasticsearch | None = None,
        snapshot_wait: float | None = None,
        refresh_after_write: bool = False,
    ):
        super().__init__(snapshot_wait=snapshot_wait)
        # Tests read their own writes at once; a cluster makes them searchable within its
        # refresh interval (a second) anyway.
        self.refresh_after_write = refresh_after_write
        if plain_json is None:
            plain_json = bool(getattr(settings, "ELASTICSEARCH_PLAIN_JSON", False))
        self.alias = index or getattr(settings, "ELASTICSEARCH_INDEX", "") or DEFAULT_ALIAS
        self.client = client or make_client(url, plain_json=plain_json)
        self.synonyms = synonyms

    # Searching ---------------------------------------------------------------------------

    def search(
        self,
        tree: Node | None,
        params: SearchParams,
        record_filter: RecordFilter,
        *,
        snapshot: Snapshot | None = None,
        section_id: int | None = None,
    ) -> EngineResult:
        """Run one request: the page of ids, exact total, facets and snippets."""
        request = build_search(tree, params, record_filter, section_id=section_id)
        body = self._search(request.to_dict())
        if body is None:
            return EngineResult(count=0, ids=[], facets=facets_of({}))
        hits = body["hits"]["hits"]
        highlights = {int(hit["_id"]): highlight_of(hit) for hit in hits}
        return EngineResult(
            count=body["hits"]["total"]["value"],
            ids=[int(hit["_id"]) for hit in hits],
            facets=facets_of(body.get("aggregations") or {}),
            highlights={pk: text for pk, text in highlights.items() if text},
        )

    def finds_any(
        self, node: Node, record_filter: RecordFilter, *, snapshot: Snapshot | None = None
    ) -> bool:
        query = Q("bool", must=[compile_node(node)], filter=[visibility_filter(record_filter)])
        body = self._search(Search().query(query).extra(size=0, track_total_hits=1).to_dict())
        return bool(body and body["hits"]["total"]["value"])

    def suggest(self, text: str) -> list[str]:
        if not _WORD.search(text or ""):
            return []
        request = add_suggesters(Search().extra(size=0), text)
        body = self._search(request.to_dict())
        suggestion = suggestion_of((body or {}).get("suggest") or {}, text)
        return [suggestion] if suggestion else []

    def _search(self, body: dict) -> dict | None:
        try:
            return self.client.search(index=self.alias, **body).body
        except NotFoundError:
            logger.warning("The search index %s does not exist yet; rebuild it.", self.alias)
            return None
        except ApiError as error:
            # The compiled queries cannot contain syntax errors; a refusal here is a defect or
            # a server limit, so log it and answer "no results" rather than fail the page.
            logger.error("Elasticsearch refused a search: %s", error)
            return None
        except TransportError as error:
            raise SearchUnavailableError(UNREACHABLE) from error

    # Writing -----------------------------------------------------------------------------

    @reachable
    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents in the live index (and in one being rebuilt)."""
        documents = list(documents)
        if not documents:
            return 0
        self.ensure_index()
        written = 0
        for target in self._write_targets():
            written = self._bulk(_index_actions(documents, target))
        self._refresh_if_asked()
        return written

    @reachable
    def delete_documents(self, ids: Iterable[int]) -> None:
        """Remove documents by record id; ids that are not indexed are ignored."""
        ids = [int(pk) for pk in ids]
        if not ids or not self.client.indices.exists_alias(name=self.alias):
            return
        for target in self._write_targets():
            actions = ({"_op_type": "delete", "_index": target, "_id": str(pk)} for pk in ids)
            self._bulk(actions)
        self._refresh_if_asked()

    @reachable
    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress=None) -> int:
        """Fill a new index, then move the alias to it atomically and drop the old one."""
        self._drop_abandoned_builds()
        name = self.create_index(building=True)
        finished = False
        try:
            written = self._bulk(_index_actions(documents, name), progress=progress)
            self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
            self.client.indices.refresh(index=name)
            self._point_alias_at(name)
            finished = True
        finally:
            if not finished:
                self.client.indices.delete(index=name, ignore_unavailable=True)
        return written

    # Index management ------------------------------------------------------------------------

    def create_index(self, *, building: bool = False) -> str:
        """Create a new timestamped index with the current thesaurus; return its name."""
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        synonyms = self.synonyms if self.synonyms is not None else thesaurus_synonyms()
        index_definition(name, synonyms, building=building).create(using=self.client)
        return name

    def ensure_index(self) -> None:
        """Create the first index and its alias if there is none yet."""
        if not self.client.indices.exists_alias(name=self.alias):
            self._point_alias_at(self.create_index())

    def aliased_indices(self) -> list[str]:
        """The concrete indices the alias points at (one, except mid-swap)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def refresh(self) -> None:
        """Make every write so far visible to searches (tests and commands; ES does it each
        second anyway)."""
        self.client.indices.refresh(index=self.alias)

    def _refresh_if_asked(self) -> None:
        if self.refresh_after_write:
            self.refresh()

    def _own_indices(self) -> dict[str, bool]:
        """This alias's timestamped indices, each with whether the alias points at it."""
        pattern = re.compile(re.escape(self.alias) + r"-\d{20}")
        try:
            found = self.client.indices.get_alias(index=f"{self.alias}-*").body
        except NotFoundError:
            return {}
        return {
            name: self.alias in (info.get("aliases") or {})
            for name, info in found.items()
            if pattern.fullmatch(name)
        }

    def _write_targets(self) -> list[str]:
        # A record published while a rebuild runs must reach the new index as well, or the
        # swap would lose it.
        building = [name for name, live in self._own_indices().items() if not live]
        return [self.alias, *building]

    def _drop_abandoned_builds(self) -> None:
        for name, live in self._own_indices().items():
            if not live:
                self.client.indices.delete(index=name, ignore_unavailable=True)

    def _point_alias_at(self, name: str) -> None:
        old = self.aliased_indices()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            if index != name:
                self.client.indices.delete(index=index, ignore_unavailable=True)

    def _bulk(
        self, actions: Iterable[dict], progress: Callable[[int], object] | None = None
    ) -> int:
        """Send actions in chunks; a missing document on delete is not an error."""
        written = pending = 0
        client = self.client.options(request_timeout=120)
        for ok, item in streaming_bulk(
            client, actions, chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=3
        ):
            result = next(iter(item.values()))
            if not ok and result.get("status") != 404:
                raise SearchUnavailableError(f"Elasticsearch refused a document: {result}")
            written += 1
            pending += 1
            if progress and pending >= BULK_CHUNK:
                progress(pending)
                pending = 0
        if progress and pending:
            progress(pending)
        return written


def _index_actions(documents: Iterable[SearchDocument], index: str):
    for document in documents:
        indexed = CatalogueDocument.from_search_document(document)
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": indexed.meta.id,
            "_source": indexed.to_dict(),
        }
