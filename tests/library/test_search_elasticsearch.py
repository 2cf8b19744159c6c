"""The Elasticsearch engine: its mapping and queries, then the flow against a server.

Three layers:
- unit tests of the generated index definition and request (`to_dict()`), no server needed;
- the index's own life on osmem-server (the in-memory OpenSearch-compatible test server) and
  on a real Elasticsearch as well when ELASTICSEARCH_URL is set: the alias, rebuilds, writes
  during a rebuild, requests the server must accept. What searches find, count, sort,
  highlight and suggest is the contract suite's (test_search_contract.py), on every engine;
- tests marked "Elasticsearch only" for what osmem does differently (it ignores the
  synonym_graph filter and scores and highlights differently), skipped without a real server.
"""

import os
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library.search.documents import SearchDocument
from library.search.engines.elasticsearch import (
    ElasticsearchEngine,
    build_search,
    compile_node,
    highlight_of,
    suggestion_of,
)
from library.search.engines.elasticsearch_mapping import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    index_definition,
    synonym_rule,
    thesaurus_synonyms,
)
from library.search.params import MAX_LIMIT, MAX_OFFSET, SearchParams
from library.search.query import And, Not, Or, Phrase, Synonyms, Term, YearRange, parse_query
from library.visibility import Audience, RecordFilter
from tests.factories.library import SubjectFactory

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
THESAURUS = ["child sexual exploitation, cse", "serious case review, scr"]
NOBODY = RecordFilter()
PUBLIC = RecordFilter(Audience(blocked=frozenset({90})))


def definition(synonyms=THESAURUS) -> dict:
    return index_definition("catalogue-test", synonyms).to_dict()


def request(q: str = "", **options) -> dict:
    visibility = options.pop("visibility", NOBODY)
    section_id = options.pop("section_id", None)
    params = SearchParams(q=q, **options)
    return build_search(parse_query(q).tree, params, visibility, section_id=section_id).to_dict()


def filters_of(body: dict) -> list[dict]:
    return body["query"]["bool"]["filter"]


# The index definition ---------------------------------------------------------------------


def test_text_is_analysed_as_english_with_accents_folded():
    analysis = definition()["settings"]["analysis"]
    english = analysis["analyzer"]["shelfmark_english"]
    assert english["tokenizer"] == "standard"
    assert english["filter"][:2] == ["lowercase", "asciifolding"]
    stop, stemmer = (analysis["filter"][name] for name in english["filter"][2:])
    assert stop == {"type": "stop", "stopwords": "_english_"}
    assert stemmer == {"type": "stemmer", "language": "english"}
    possessive = analysis["char_filter"][english["char_filter"][0]]
    assert possessive["type"] == "pattern_replace" and "s" in possessive["pattern"]


def test_searches_use_the_thesaurus_as_a_synonym_graph():
    analysis = definition()["settings"]["analysis"]
    search = analysis["analyzer"]["shelfmark_english_search"]
    assert "shelfmark_thesaurus" in search["filter"]
    # After folding (so "CSE" and "cse" are one rule), before stemming (so rules stem too).
    assert search["filter"].index("shelfmark_thesaurus") == 2
    assert analysis["filter"]["shelfmark_thesaurus"] == {
        "type": "synonym_graph",
        "synonyms": THESAURUS,
        "lenient": True,
    }
    mapping = definition()["mappings"]["properties"]
    for field in ("title", "authors", "subjects", "keywords", "publisher", "board", "body"):
        assert mapping[field]["analyzer"] == "shelfmark_english"
        assert mapping[field]["search_analyzer"] == "shelfmark_english_search"


def test_an_empty_thesaurus_leaves_the_synonym_filter_out():
    analysis = definition(synonyms=[])["settings"]["analysis"]
    assert "shelfmark_thesaurus" not in analysis["analyzer"]["shelfmark_english_search"]["filter"]
    assert "shelfmark_thesaurus" not in analysis["filter"]


@pytest.mark.django_db
def test_synonym_rules_are_built_from_preferred_and_use_for_terms():
    SubjectFactory(name="Child sexual exploitation", use_for="CSE\nSexual exploitation")
    SubjectFactory(name="Serious case reviews", use_for="SCR\nCase reviews, serious")
    SubjectFactory(name="Neglect")  # nothing to expand
    SubjectFactory(name="Grooming", use_for="grooming => online\n#hashtag")
    rules = thesaurus_synonyms()
    assert rules == [
        "child sexual exploitation, cse, sexual exploitation",
        "grooming, grooming online, hashtag",
        "serious case reviews, scr, case reviews serious",
    ]
    assert (
        definition(rules)["settings"]["analysis"]["filter"]["shelfmark_thesaurus"]["synonyms"]
        == rules
    )


def test_a_rule_needs_two_different_terms():
    assert synonym_rule(["Neglect", "neglect"]) == ""


def test_facets_sorting_and_suggestions_have_their_own_fields():
    body = definition()
    mapping, analysis = body["mappings"]["properties"], body["settings"]["analysis"]
    for field in ("record_type", "nation", "review_type", "availability", "subject_ids"):
        assert mapping[field] == {"type": "keyword"}
    assert mapping["board_id"] == {"type": "keyword"}
    assert mapping["decade"] == {"type": "integer"}
    assert mapping["title_sort"] == {"type": "keyword", "normalizer": "shelfmark_sort"}
    assert analysis["normalizer"]["shelfmark_sort"]["filter"] == ["lowercase", "asciifolding"]
    # Unstemmed words for "did you mean" and word* prefixes.
    assert mapping["suggest"]["analyzer"] == "shelfmark_plain"
    assert analysis["analyzer"]["shelfmark_plain"]["filter"] == ["lowercase", "asciifolding"]
    assert mapping["title"]["copy_to"] == "suggest" and mapping["body"]["copy_to"] == "suggest"
    assert mapping["title"]["fields"]["plain"]["analyzer"] == "shelfmark_plain"
    assert body["mappings"]["dynamic"] == "strict"


def test_the_index_allows_the_deepest_page_and_counts_exactly_on_one_shard():
    settings = definition()["settings"]
    assert settings["max_result_window"] >= MAX_OFFSET + MAX_LIMIT
    assert settings["number_of_shards"] == 1


# Compiling queries ------------------------------------------------------------------------


def test_a_word_searches_every_field_with_titles_and_subjects_first():
    query = compile_node(Term("neglect")).to_dict()["multi_match"]
    assert query["operator"] == "and" and query["query"] == "neglect"
    boosts = {
        name.split("^")[0]: float(name.split("^")[1]) if "^" in name else 1.0
        for name in query["fields"]
    }
    assert boosts["title"] > boosts["body"] and boosts["subjects"] > boosts["body"]
    assert {"authors", "keywords", "publisher", "board", "identifiers"} <= set(boosts)


@pytest.mark.parametrize(
    ("field", "indexed"),
    [
        ("title", "title"),
        ("author", "authors"),
        ("subject", "subjects"),
        ("keyword", "keywords"),
        ("publisher", "publisher"),
        ("board", "board"),
    ],
)
def test_a_field_limits_words_and_phrases_to_that_field(field, indexed):
    word = compile_node(Term("neglect", field)).to_dict()["multi_match"]
    phrase = compile_node(Phrase("child neglect", field)).to_dict()["multi_match"]
    assert [name.split("^")[0] for name in word["fields"]] == [indexed]
    assert [name.split("^")[0] for name in phrase["fields"]] == [indexed]
    assert phrase["type"] == "phrase"


def test_a_word_prefix_searches_unstemmed_words_without_accents():
    query = compile_node(Term("Négl", prefix=True)).to_dict()["bool"]
    prefixes = {
        name: options for clause in query["should"] for name, options in clause["prefix"].items()
    }
    assert prefixes["title.plain"]["value"] == "negl"
    assert "suggest" in prefixes  # the body, publisher and board words are there
    fielded = compile_node(Term("smi", "author", prefix=True)).to_dict()["bool"]["should"]
    assert fielded == [{"prefix": {"authors.plain": {"value": "smi", "boost": 1.0}}}]
    several = compile_node(Term("child-prot", prefix=True)).to_dict()["multi_match"]
    assert several["type"] == "phrase_prefix"


def test_isbn_searches_match_either_length_with_or_without_hyphens():
    query = compile_node(Term("1-84310-123-8", "isbn")).to_dict()["bool"]["should"]
    values = {clause["match"]["identifiers"] for clause in query}
    assert {"1843101238", "9781843101239"} <= values
    doi = compile_node(Term("https://doi.org/10.1093/BJSW/bcq084", "doi")).to_dict()
    assert {"match": {"identifiers": "10.1093/bjsw/bcq084"}} in doi["bool"]["should"]


def test_boolean_operators_become_must_should_and_must_not():
    tree = And((Or((Term("neglect"), Term("abuse"))), Not(Term("online"))))
    query = compile_node(tree).to_dict()["bool"]
    assert query["must"][0]["bool"]["minimum_should_match"] == 1
    assert len(query["must"][0]["bool"]["should"]) == 2
    assert query["must_not"][0]["multi_match"]["query"] == "online"
    alone = compile_node(Not(Term("online"))).to_dict()
    assert alone["bool"]["must_not"][0]["multi_match"]["query"] == "online"


def test_years_become_a_range():
    assert compile_node(YearRange(2010, 2015)).to_dict() == {
        "range": {"year": {"gte": 2010, "lte": 2015}}
    }


def test_thesaurus_alternatives_are_ored_in_the_same_field():
    node = Synonyms(Term("cse", "subject"), ("child sexual exploitation", "exploitation"))
    should = compile_node(node).to_dict()["bool"]["should"]
    assert [clause["multi_match"].get("type") for clause in should] == [
        "best_fields",
        "phrase",
        "best_fields",
    ]
    assert all(clause["multi_match"]["fields"] == ["subjects^4"] for clause in should)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_anything_a_user_types_compiles_to_a_request(text):
    tree = parse_query(text).tree
    body = build_search(tree, SearchParams(q=text), NOBODY).to_dict()
    assert body["query"]["bool"]["filter"]


# The whole request -----------------------------------------------------------------------


def test_filters_narrow_the_query_so_facets_count_the_filtered_set():
    body = request(
        "neglect",
        filters={"record_type": ["book"], "subject": ["12"], "board": ["7", "8"]},
        year_from=2010,
        year_to=2015,
        section_id=4,
    )
    assert "post_filter" not in body
    clauses = filters_of(body)
    assert {"terms": {"record_type": ["book"]}} in clauses
    assert {"terms": {"subject_ids": ["12"]}} in clauses
    assert {"terms": {"board_id": ["7", "8"]}} in clauses
    assert {"range": {"year": {"gte": 2010, "lte": 2015}}} in clauses
    assert {"term": {"section_id": 4}} in clauses


@pytest.mark.parametrize("q", ["", "neglect", "NOT neglect", "year:2013"])
def test_restricted_records_are_excluded_from_every_request(q):
    blocked = RecordFilter(Audience(blocked=frozenset({3})))  # passes 9
    exclusion = {"bool": {"must_not": [{"terms": {"restriction_ids": [3]}}]}}
    assert exclusion in filters_of(request(q, visibility=blocked))
    # Present (and harmless) even when nothing is blocked, so no path can leave it out.
    assert {"bool": {"must_not": [{"terms": {"restriction_ids": []}}]}} in filters_of(request(q))


def test_records_the_page_tree_hides_are_excluded_before_the_index_catches_up():
    # Unpublished or newly restricted a moment ago: the index still has them as visible.
    lagging = RecordFilter(Audience(), hidden_ids=(4, 17))
    exclusion = {"terms": {"restriction_ids": []}}, {"terms": {"_id": ["4", "17"]}}
    assert {"bool": {"must_not": list(exclusion)}} in filters_of(request("", visibility=lagging))


@pytest.mark.parametrize(
    ("q", "sort", "expected"),
    [
        (
            "neglect",
            "relevance",
            ["_score", {"year": {"order": "desc", "missing": "_last"}}, {"record_id": "desc"}],
        ),
        ("", "relevance", [{"year": {"order": "desc", "missing": "_last"}}]),
        ("neglect", "newest", [{"year": {"order": "desc", "missing": "_last"}}]),
        ("neglect", "oldest", [{"year": {"order": "asc", "missing": "_last"}}]),
        ("neglect", "title", [{"title_sort": "asc"}, {"record_id": "asc"}]),
    ],
)
def test_sorts_end_with_the_record_id_for_a_stable_order(q, sort, expected):
    order = request(q, sort=sort)["sort"]
    assert order[: len(expected)] == expected
    assert "record_id" in order[-1]


def test_every_facet_is_aggregated_with_room_for_every_value():
    aggregations = request("neglect")["aggs"]
    assert set(aggregations) == {
        "record_type",
        "subject",
        "year",
        "nation",
        "review_type",
        "board",
        "availability",
    }
    assert aggregations["year"]["terms"]["field"] == "decade"
    assert aggregations["subject"]["terms"]["size"] >= 500
    assert aggregations["board"]["terms"]["size"] >= 500


def test_pages_use_from_and_size_with_an_exact_total():
    body = request("neglect", offset=40, limit=20)
    assert (body["from"], body["size"]) == (40, 20)
    assert body["track_total_hits"] is True
    assert body["_source"] is False


def test_words_ask_for_highlights_but_no_unfiltered_spelling_check():
    body = request("neglectd children")
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    assert body["highlight"]["pre_tags"] == [HIGHLIGHT_START]
    # Suggestions come from suggest(), checked against what the caller may see.
    assert "suggest" not in body
    assert "highlight" not in request("")


def test_highlights_are_escaped_before_marks_are_added():
    hit = {"highlight": {"body": [f"a {HIGHLIGHT_START}neglected{HIGHLIGHT_END} <script>"]}}
    assert highlight_of(hit) == "a <mark>neglected</mark> &lt;script&gt;"


def test_the_suggestion_falls_back_to_correcting_word_by_word():
    echoed = {"spelling_phrase": [{"text": "negelct of", "options": [{"text": "negelct of"}]}]}
    terms = [{"text": "negelct", "offset": 0, "length": 7, "options": [{"text": "neglect"}]}]
    assert suggestion_of({**echoed, "spelling_terms": terms}, "negelct of") == "neglect of"
    phrase = {"spelling_phrase": [{"text": "x", "options": [{"text": "neglect of"}]}]}
    assert suggestion_of(phrase, "negelct of") == "neglect of"
    assert suggestion_of({"spelling_terms": [{**terms[0], "options": []}]}, "negelct") == ""


# End to end on a server -------------------------------------------------------------------


def document(pk: int, title: str, **values) -> SearchDocument:
    fields = {
        "title_sort": title.casefold(),
        "authors": [],
        "subjects": [],
        "subject_ids": [],
        "keywords": [],
        "publisher": "",
        "board": [],
        "identifiers": [],
        "body": "",
        "year": 2015,
        "date_added": "2024-01-01",
        "record_type": "book",
        "nation": "",
        "review_type": "",
        "board_id": None,
        "availability": "in_library",
        "section_id": 1,
    }
    fields.update(values)
    return SearchDocument(id=pk, title=title, **fields)


CATALOGUE = [
    document(
        1,
        "Neglected children and their families",
        subjects=["Neglect"],
        subject_ids=[10],
        authors=["Horwath, Jan"],
        body="How practitioners recognise neglect. <b>Bold claims</b> & more.",
        identifiers=["9781843101239"],
        year=2013,
        date_added="2023-05-01",
        nation="england",
    ),
    document(
        2,
        "Émile and the négligé household",
        subjects=["Neglect", "Home conditions"],
        subject_ids=[10, 11],
        body="A case study of neglecting parents.",
        year=2008,
        record_type="report",
        nation="wales",
    ),
    document(
        3,
        "Serious case review: Child D",
        record_type="case_review",
        review_type="scr",
        board=["Northshire Safeguarding Children Board", "Northshire LSCB"],
        board_id=7,
        subjects=["Child sexual exploitation"],
        subject_ids=[20],
        body="The review found missed signs of exploitation and neglect.",
        year=2017,
        nation="england",
        availability="online",
    ),
    document(
        4,
        "Grooming online",
        keywords=["internet safety"],
        publisher="NSPCC",
        body="Children's use of social media.",
        year=2021,
        date_added="2024-02-01",
        nation="scotland",
        availability="online",
    ),
    document(
        5,
        "Restricted: neglect in one named family",
        body="neglect",
        year=2019,
        restriction_ids=[90],
        nation="england",
    ),
    document(6, "Abuse and neglect: a reader", body="", year=None, nation="england"),
    document(7, "attachment theory", body="Attachment and neglect.", year=2013, nation="england"),
]


def elasticsearch_engine(request) -> ElasticsearchEngine:
    alias = f"shelfmark-test-{uuid.uuid4().hex[:8]}"
    engine = ElasticsearchEngine(ELASTICSEARCH_URL, index=alias, synonyms=THESAURUS)
    request.addfinalizer(
        lambda: engine.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
    )
    return engine


# The same flow runs on osmem always and on Elasticsearch too when ELASTICSEARCH_URL is set.
@pytest.fixture(params=["osmem", "elasticsearch"] if ELASTICSEARCH_URL else ["osmem"])
def engine(request):
    """A fresh, empty engine on osmem (a clone per test) or on ELASTICSEARCH_URL."""
    if request.param == "elasticsearch":
        return elasticsearch_engine(request)
    clone = request.getfixturevalue("osmem").clone()
    request.addfinalizer(clone.close)
    return ElasticsearchEngine(
        clone.url, index="shelfmark-test", plain_json=True, synonyms=THESAURUS
    )


@pytest.fixture
def catalogue(engine):
    engine.rebuild(CATALOGUE, total=len(CATALOGUE))
    return engine


@pytest.fixture
def elasticsearch_catalogue(request):
    """The catalogue on a real Elasticsearch, for what osmem does differently."""
    if not ELASTICSEARCH_URL:
        pytest.skip("Elasticsearch only (osmem differs here); set ELASTICSEARCH_URL to run.")
    engine = elasticsearch_engine(request)
    engine.rebuild(CATALOGUE, total=len(CATALOGUE))
    return engine


def found(engine, q: str, visibility=PUBLIC, **options) -> list[int]:
    params = SearchParams(q=q, limit=100, **options)
    return sorted(engine.search(parse_query(q).tree, params, visibility).ids)


def test_osmem_needs_the_plain_json_option(osmem):
    """osmem answers 406 to the 8.x client's versioned media type; plain_json fixes that."""
    from elasticsearch import ApiError

    with osmem.clone() as clone:
        default = ElasticsearchEngine(clone.url, index="refused", plain_json=False, synonyms=[])
        with pytest.raises(ApiError) as refused:
            default.ensure_index()
        assert refused.value.status_code == 406
        plain = ElasticsearchEngine(clone.url, index="accepted", plain_json=True, synonyms=[])
        plain.ensure_index()
        assert plain.aliased_indices()[0].startswith("accepted-")


def test_rebuild_fills_a_new_index_and_moves_the_alias_to_it(engine):
    progress = []
    assert engine.rebuild(CATALOGUE, total=len(CATALOGUE), progress=progress.append) == 7
    assert sum(progress) == 7
    [first] = engine.aliased_indices()
    assert first.startswith(engine.alias + "-")

    engine.rebuild(CATALOGUE[:2], total=2)
    [second] = engine.aliased_indices()
    assert second != first
    assert not engine.client.indices.exists(index=first)
    assert found(engine, "") == [1, 2]


@pytest.mark.parametrize(
    "q",
    ['"', "(((", "title:", "*", "a*", "\\", "/", "~1", "{x}", "NOT", "-", "x OR", "é*", "[0 TO 9]"],
)
def test_awkward_input_is_accepted_by_the_server(catalogue, q):
    """Sent straight to the server, so a refusal (which the engine would log and hide as
    "no results") fails the test."""
    body = build_search(parse_query(q).tree, SearchParams(q=q), PUBLIC).to_dict()
    response = catalogue.client.search(index=catalogue.alias, **body)
    assert response["hits"]["total"]["value"] >= 0


def test_index_and_delete_documents_write_through_the_alias(catalogue):
    renamed = document(4, "Grooming and exploitation online", year=2022)
    assert catalogue.index_documents([renamed, document(8, "Exploitation today")]) == 2
    catalogue.delete_documents([1, 999])
    catalogue.refresh()
    assert found(catalogue, "exploitation") == [3, 4, 8]
    assert found(catalogue, "horwath") == []


def test_writes_during_a_rebuild_reach_the_index_being_built(catalogue):
    building = catalogue.create_index(building=True)
    catalogue.index_documents([document(9, "Published mid-rebuild")])
    catalogue.client.indices.refresh(index=building)
    assert catalogue.client.count(index=building)["count"] == 1
    catalogue.refresh()
    assert found(catalogue, "published") == [9]


def test_an_index_is_created_on_first_write(engine):
    engine.index_documents([document(1, "First record")])
    engine.refresh()
    assert found(engine, "first") == [1]
    assert engine.search(None, SearchParams(), PUBLIC).count == 1


def test_searching_before_any_index_exists_finds_nothing_rather_than_failing(engine):
    result = engine.search(parse_query("neglect").tree, SearchParams(q="neglect"), PUBLIC)
    assert (result.count, result.ids) == (0, [])


# Elasticsearch only: osmem ignores synonym_graph and scores differently -----------------


def test_thesaurus_terms_find_their_preferred_term_on_elasticsearch(elasticsearch_catalogue):
    """osmem ignores the synonym_graph filter, so this runs on Elasticsearch only."""
    assert found(elasticsearch_catalogue, "cse") == [3]
    assert found(elasticsearch_catalogue, "scr") == [3]


def test_title_and_subject_matches_outrank_body_matches_on_elasticsearch(
    elasticsearch_catalogue,
):
    """osmem's scores are not Elasticsearch's, so ranking is checked on Elasticsearch only."""
    result = elasticsearch_catalogue.search(
        parse_query("neglect").tree, SearchParams(q="neglect"), PUBLIC
    )
    body_only = {3, 7}
    assert set(result.ids[:3]) == {1, 2, 6}
    assert set(result.ids[3:]) == body_only
