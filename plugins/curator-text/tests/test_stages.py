from __future__ import annotations

import pyarrow as pa
import pytest

from curator_text import (
    AddId,
    Filter,
    LanguageFilter,
    LanguageId,
    Modify,
    NewlineNormalizer,
    NonAlphaNumericFilter,
    Score,
    ScoreFilter,
    UnicodeNormalizer,
    UnicodeReformatter,
    UrlRemover,
    WordCountFilter,
)

TEXTS = ["one two three", "one", "one two three four five", "## ## ##"]


def texts(task: object) -> list[str]:
    return task.data.column("text").to_pylist()  # type: ignore[attr-defined]


def test_score_filter_keeps_what_the_filter_keeps(make_batch: object) -> None:
    stage = ScoreFilter(WordCountFilter(min_words=2, max_words=4))
    out = stage.process(make_batch(TEXTS))  # type: ignore[operator]
    assert texts(out) == ["one two three", "## ## ##"]
    assert out.data.column_names == ["text"]
    assert stage.name == "word_count"
    assert stage.pop_metrics() == {"documents_in": 4.0, "documents_dropped": 2.0}


def test_score_filter_can_keep_scores_and_invert(make_batch: object) -> None:
    stage = ScoreFilter(WordCountFilter(min_words=2, max_words=4), score_field="words", invert=True)
    out = stage.process(make_batch(TEXTS))  # type: ignore[operator]
    assert texts(out) == ["one", "one two three four five"]
    assert out.data.column("words").to_pylist() == [1, 5]
    assert stage.outputs() == (["data"], ["words"])


def test_score_filter_takes_plain_data_and_chains_filters(make_batch: object) -> None:
    stage = ScoreFilter(
        [{"name": "WordCountFilter", "min_words": 2, "max_words": 4}, {"name": "NonAlphaNumericFilter"}],
        score_field=["words", None],
    )
    out = stage.process(make_batch(TEXTS))  # type: ignore[operator]
    assert texts(out) == ["one two three"]
    assert stage.name == "score_filter_chain_of_word_count_alpha_numeric"


def test_an_empty_batch_stays_an_empty_batch(make_batch: object) -> None:
    out = ScoreFilter(WordCountFilter(), score_field="n").process(make_batch([]))  # type: ignore[operator]
    assert out.num_items == 0


def test_score_adds_columns_without_filtering(make_batch: object) -> None:
    out = Score(WordCountFilter(), score_field="n").process(make_batch(TEXTS))  # type: ignore[operator]
    assert out.data.column("n").to_pylist() == [3, 1, 5, 3]
    out = Score(len, score_field="chars").process(make_batch(["ab"]))  # type: ignore[operator]
    assert out.data.column("chars").to_pylist() == [2]


def test_filter_uses_an_existing_column(make_batch: object) -> None:
    batch = make_batch(TEXTS, n=[3, 1, 5, 3])  # type: ignore[operator]
    out = Filter({"name": "WordCountFilter", "min_words": 2, "max_words": 4}, filter_field="n").process(batch)
    assert texts(out) == ["one two three", "## ## ##"]
    out = Filter(lambda n: n > 2, filter_field="n", invert=True).process(make_batch(TEXTS, n=[3, 1, 5, 3]))  # type: ignore[operator]
    assert texts(out) == ["one"]


def test_more_fields_than_filters_is_an_error() -> None:
    with pytest.raises(ValueError, match="text_field"):
        ScoreFilter(WordCountFilter(), text_field=["a", "b"])


def test_modify_applies_modifiers_in_order(make_batch: object) -> None:
    batch = make_batch(["see https://x.org/a and www.y.com\n\n\n\nend", "cafe\u0301"])  # type: ignore[operator]
    out = Modify([UrlRemover(), {"name": "NewlineNormalizer"}, UnicodeNormalizer("NFC")]).process(batch)
    assert texts(out) == ["see  and \n\nend", "caf\u00e9"]
    out = Modify("UrlRemover", output_fields="clean").process(make_batch(["a http://b c"]))  # type: ignore[operator]
    assert out.data.column("clean").to_pylist() == ["a  c"]
    assert texts(out) == ["a http://b c"]


def test_modifiers_keep_nemo_semantics() -> None:
    assert NewlineNormalizer().modify_document("a\r\n\r\n\r\nb") == "a\r\n\r\nb"
    assert UnicodeReformatter().modify_document("Ã©") == "\u00e9"
    with pytest.raises(TypeError, match="unknown option"):
        UnicodeReformatter(bogus=True)


def test_add_id_is_stable_and_refuses_to_overwrite(make_batch: object) -> None:
    out = AddId(id_field="doc_id", id_prefix="web").process(make_batch(["a", "b"], task_id="abc.2"))  # type: ignore[operator]
    assert out.data.column("doc_id").to_pylist() == ["web_abc.2_0", "web_abc.2_1"]
    with pytest.raises(ValueError, match="already exists"):
        AddId(id_field="doc_id").process(out)
    again = AddId(id_field="doc_id", overwrite=True).process(out)
    assert again.data.column("doc_id").to_pylist() == ["abc.2_0", "abc.2_1"]


ENGLISH = "The weather is lovely today and we are going to walk along the river with our friends."
FRENCH = "Le temps est magnifique aujourd'hui et nous allons marcher le long de la rivière avec nos amis."


def test_language_id_adds_language_and_score_columns(make_batch: object) -> None:
    stage = LanguageId()
    stage.setup()
    out = stage.process(make_batch([ENGLISH, FRENCH]))  # type: ignore[operator]
    assert out.data.column("language").to_pylist() == ["en", "fr"]
    assert all(0.5 < p <= 1.0 for p in out.data.column("language_score").to_pylist())
    kept = Filter(LanguageFilter(["en"]), filter_field="language").process(out)
    assert texts(kept) == [ENGLISH]


def test_language_id_can_keep_languages_itself(make_batch: object) -> None:
    out = LanguageId(keep_languages=["fr"]).process(make_batch([ENGLISH, FRENCH]))  # type: ignore[operator]
    assert texts(out) == [FRENCH]
    assert LanguageFilter("fr").score_document(FRENCH) == "fr"


def test_a_non_alpha_numeric_score_filter_matches_the_documented_rule(make_batch: object) -> None:
    out = ScoreFilter(NonAlphaNumericFilter(), score_field="r").process(make_batch(["ab c", ""]))  # type: ignore[operator]
    assert out.data.column("r").to_pylist() == [0.25]
    assert isinstance(out.data, pa.Table)
