"""The Elasticsearch index of the catalogue: analysis, the document mapping and the thesaurus.

One `CatalogueDocument` per live record. Text fields are analysed for English (stemming, stop
words, possessives, accent folding); the search analyzer adds the thesaurus as a
`synonym_graph` filter, so a search for a subject's "use for" term (CSE, SCR) also finds its
preferred term. Facets and filters read keyword fields; `suggest` keeps unstemmed words for
"did you mean".
"""

import re
import unicodedata

from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
)

from library.models.snippets import Subject
from library.search.documents import SearchDocument
from library.search.params import MAX_LIMIT, MAX_OFFSET

SEARCH_ANALYZER_NAME = "shelfmark_english_search"
# Highlight markers: control characters never kept in indexed text, so escaping the fragment
# and then turning them into <mark> cannot be fooled by the record's own content.
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
_STRIP_MARKERS = str.maketrans("", "", HIGHLIGHT_START + HIGHLIGHT_END)
# Longer bodies would exceed Elasticsearch's highlighting limit (1,000,000 characters by
# default); no abstract and notes come near this.
MAX_BODY_CHARACTERS = 200_000
# Deep pages are served by from/size; the service caps the offset, the index allows the rest.
MAX_RESULT_WINDOW = MAX_OFFSET + MAX_LIMIT

_EXTRA_FOLDING = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l"})


def fold(text: str) -> str:
    """Lower case without accents, as the `shelfmark_plain` analyzer indexes words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA_FOLDING))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# "child's" -> "child". A character filter rather than the `possessive_english` stemmer: the
# effect is the same on Elasticsearch, and the in-memory test server mishandles that stemmer.
possessive = char_filter(
    "shelfmark_possessive", "pattern_replace", pattern="['\u2019][sS]\\b", replacement=""
)
english_stop = token_filter("shelfmark_english_stop", "stop", stopwords="_english_")
english_stemmer = token_filter("shelfmark_english_stemmer", "stemmer", language="english")

english = analyzer(
    "shelfmark_english",
    tokenizer="standard",
    char_filter=[possessive],
    filter=["lowercase", "asciifolding", english_stop, english_stemmer],
)
# Unstemmed, for word* prefixes and spelling suggestions.
plain = analyzer("shelfmark_plain", tokenizer="standard", filter=["lowercase", "asciifolding"])
# ISBNs, ISSNs and DOIs: one token, without hyphens or spaces, in lower case.
identifier = analyzer(
    "shelfmark_identifier",
    tokenizer="keyword",
    char_filter=[
        char_filter(
            "shelfmark_identifier_compact",
            "pattern_replace",
            pattern="[\\s\\-\u2010\u2011\u2013]",
            replacement="",
        )
    ],
    filter=["lowercase"],
)
sort_normalizer = normalizer("shelfmark_sort", filter=["lowercase", "asciifolding"])


def search_analyzer(synonyms: list[str]):
    """The query-time English analyzer, with the thesaurus when there is one."""
    filters: list = ["lowercase", "asciifolding"]
    if synonyms:
        filters.append(
            token_filter(
                "shelfmark_thesaurus",
                "synonym_graph",
                synonyms=synonyms,
                # A rule that analyses to nothing (only stop words, say) is skipped, not fatal.
                lenient=True,
            )
        )
    filters += [english_stop, english_stemmer]
    return analyzer(
        SEARCH_ANALYZER_NAME, tokenizer="standard", char_filter=[possessive], filter=filters
    )


def _english_text(copy_to: bool = True, plain_subfield: bool = True) -> Text:
    options = {"analyzer": english, "search_analyzer": SEARCH_ANALYZER_NAME}
    if copy_to:
        options["copy_to"] = "suggest"
    if plain_subfield:
        options["fields"] = {"plain": Text(analyzer=plain)}
    return Text(**options)


class CatalogueDocument(Document):
    """One catalogue record as Elasticsearch indexes it."""

    record_id = Integer()
    title = _english_text()
    title_sort = Keyword(normalizer=sort_normalizer)
    authors = _english_text()
    # Only for ranking: "title + surname" prefers the record the surname's person wrote first.
    first_author = _english_text(copy_to=False, plain_subfield=False)
    subjects = _english_text()
    keywords = _english_text()
    publisher = _english_text()
    board = _english_text()
    identifiers = Text(analyzer=identifier)
    body = _english_text(plain_subfield=False)
    suggest = Text(analyzer=plain)
    year = Integer()
    decade = Integer()
    date_added = Date()
    record_type = Keyword()
    nation = Keyword()
    review_type = Keyword()
    availability = Keyword()
    subject_ids = Keyword()
    board_id = Keyword()
    section_id = Integer()
    restriction_ids = Integer()

    class Meta:
        dynamic = MetaField("strict")

    @classmethod
    def from_search_document(cls, document: SearchDocument) -> "CatalogueDocument":
        """The indexed form of a search document; empty codes are left out of the facets."""

        def clean(text: str) -> str:
            return (text or "").translate(_STRIP_MARKERS)

        return cls(
            meta={"id": str(document.id)},
            record_id=document.id,
            title=clean(document.title),
            # Folded here as well as by the normaliser, so the order never depends on the server.
            title_sort=fold(document.title_sort or clean(document.title))[:200],
            authors=[clean(name) for name in document.authors],
            first_author=clean(document.authors[0]) if document.authors else None,
            subjects=[clean(name) for name in document.subjects],
            keywords=[clean(word) for word in document.keywords],
            publisher=clean(document.publisher) or None,
            board=[clean(name) for name in document.board],
            identifiers=list(document.identifiers),
            body=clean(document.body)[:MAX_BODY_CHARACTERS] or None,
            year=document.year,
            decade=document.year // 10 * 10 if document.year else None,
            date_added=document.date_added or None,
            record_type=document.record_type or None,
            nation=document.nation or None,
            review_type=document.review_type or None,
            availability=document.availability or None,
            subject_ids=[str(pk) for pk in document.subject_ids],
            board_id=str(document.board_id) if document.board_id else None,
            section_id=document.section_id,
            restriction_ids=list(document.restriction_ids),
        )


def index_definition(name: str, synonyms: list[str], *, building: bool = False) -> Index:
    """The settings, analysis and mapping of one concrete catalogue index."""
    index = Index(name)
    index.settings(
        # One shard: a catalogue of a few hundred thousand records fits easily, and terms
        # aggregations on one shard are exact, which the facet counts promise.
        number_of_shards=1,
        max_result_window=MAX_RESULT_WINDOW,
        # While a rebuild fills the index nobody searches it; refreshing would only slow it.
        refresh_interval="-1" if building else "1s",
    )
    index.document(CatalogueDocument)
    index.analyzer(search_analyzer(synonyms))
    return index


_RULE_SEPARATORS = re.compile(r"=>|[,\\#]")


def synonym_rule(terms: list[str]) -> str:
    """One equivalence rule ("cse, child sexual exploitation") from a preferred term and its
    use-for terms; characters with a meaning in the rule syntax are replaced by spaces."""
    cleaned = []
    for term in terms:
        text = " ".join(_RULE_SEPARATORS.sub(" ", term).split()).casefold()
        if text and text not in cleaned:
            cleaned.append(text)
    return ", ".join(cleaned) if len(cleaned) > 1 else ""


def thesaurus_synonyms() -> list[str]:
    """Equivalence rules for every subject with "use for" terms, read from the thesaurus."""

    rules = []
    for subject in Subject.objects.exclude(use_for="").order_by("name"):
        rule = synonym_rule([subject.name, *subject.use_for_terms()])
        if rule:
            rules.append(rule)
    return rules
