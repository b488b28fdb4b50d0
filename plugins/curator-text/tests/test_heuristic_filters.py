"""Each heuristic filter keeps and drops what NeMo Curator's does, with its defaults."""

from __future__ import annotations

import pyarrow as pa
import pytest

from curator_text import FILTERS, resolve_filter
from curator_text.filters import (
    BoilerPlateStringFilter,
    BulletsFilter,
    CommonEnglishWordsFilter,
    EllipsisFilter,
    LongWordFilter,
    MeanWordLengthFilter,
    NonAlphaNumericFilter,
    NumbersFilter,
    ParenthesesFilter,
    PunctuationFilter,
    RepeatedLinesFilter,
    RepeatedParagraphsFilter,
    RepeatingDuplicateNGramsFilter,
    RepeatingTopNGramsFilter,
    SubstringFilter,
    SymbolsToWordsFilter,
    UrlsFilter,
    WhiteSpaceFilter,
    WordCountFilter,
    WordsWithoutAlphabetsFilter,
)

PROSE = "The cat sat on the mat. It was happy with the day.\nThe dog, too, was there and it barked."


def decide(doc_filter: object, text: str) -> bool:
    return doc_filter.keep_document(doc_filter.score_document(text))  # type: ignore[attr-defined]


def test_word_count_counts_split_words_and_keeps_the_closed_range() -> None:
    f = WordCountFilter(min_words=3, max_words=4)
    assert f.score_document("  one two\u00a0three  ") == 3
    assert [decide(f, t) for t in ["a b", "a b c", "a b c d", "a b c d e"]] == [False, True, True, False]
    assert (f.min_words, f.max_words) == (3, 4)
    assert (WordCountFilter().min_words, WordCountFilter().max_words) == (50, 100000)


def test_non_alpha_numeric_ratio_counts_everything_outside_the_kept_class() -> None:
    f = NonAlphaNumericFilter()
    assert f.score_document("ab c") == 0.25
    assert f.score_document("") == 1.0
    assert f.score_document("Hi!\n") == 0.0
    assert decide(f, "ab c") and not decide(f, "a## ")


def test_numbers_ratio_counts_ascii_digits() -> None:
    f = NumbersFilter()
    assert f.score_document("ab12") == 0.5
    assert f.score_document("\u0663\u0664ab") == 0.0
    assert not decide(f, "1234567 abc") and decide(f, "one 1 two three four")


def test_urls_ratio_counts_url_characters() -> None:
    f = UrlsFilter()
    text = "see https://example.com/x?q=1#top now"
    # NeMo Curator 1.4.0's URL pattern takes paths, queries and fragments.
    assert f.score_document(text) == len("https://example.com/x?q=1#top") / len(text)
    assert not decide(f, text) and decide(f, "no links here at all")
    # url_regex replaces the pattern (a string or a compiled pattern).
    assert UrlsFilter(url_regex=r"https?://\S+").score_document("a http://x.y/z") == len("http://x.y/z") / 14


def test_symbols_to_words_counts_hash_words_and_ellipses() -> None:
    f = SymbolsToWordsFilter()
    assert f.score_document("a # b ... c") == 2 / 5
    # NeMo Curator counts runs of '#', not characters: '##' is one run in two characters, not "mostly symbols".
    assert f.score_document("a ## b c d") == 0.0
    assert not decide(f, "a # b ... c") and decide(f, "plain words only here")


def test_bullets_share_of_lines() -> None:
    f = BulletsFilter()
    assert f.score_document("\u2022 one\n\u2022 two\nthree") == 2 / 3
    assert not decide(f, "\u2022 a\n\u2022 b") and decide(f, "\u2022 a\nb")


def test_white_space_share_of_characters() -> None:
    f = WhiteSpaceFilter()
    assert f.score_document("a b\t") == 0.5
    assert not decide(f, "a  b") and decide(f, "abcd e")


def test_parentheses_share_of_characters() -> None:
    f = ParenthesesFilter()
    assert f.score_document("(a)\u27e8b\u27e9") == 4 / 6
    assert decide(f, "plain text without brackets")


def test_longest_word() -> None:
    f = LongWordFilter(max_word_length=5)
    assert f.score_document("aa bbbbbb c") == 6
    assert not decide(f, "aa bbbbbb c") and decide(f, "aa bbbbb c")


def test_mean_word_length_range() -> None:
    f = MeanWordLengthFilter()
    assert f.score_document("ab abcd") == 3.0
    assert decide(f, "ab abcd") and not decide(f, "a b") and not decide(f, "x" * 11)


def test_punctuation_share_of_lines_without_end_mark() -> None:
    f = PunctuationFilter()
    assert f.score_document("one.\ntwo\nthree?") == 1 / 3
    assert decide(f, "one.\ntwo") and not decide(f, "one\ntwo\nthree\nfour\nfive\nsix\nseven")


def test_ellipsis_share_of_lines() -> None:
    f = EllipsisFilter()
    assert f.score_document("one...\ntwo\nRead More") == 2 / 3
    assert not decide(f, "one...\ntwo\nRead More") and decide(f, "a\nb\nc\nd...")


def test_common_english_words_need_two_lowercase_hits() -> None:
    f = CommonEnglishWordsFilter()
    assert decide(f, PROSE)
    assert not decide(f, "THE AND OF")
    assert f.score_document("the and of to") == 2  # stops at the cutoff
    assert CommonEnglishWordsFilter(stop_at_false=False).score_document("the and of to") == 4


def test_words_without_alphabets() -> None:
    f = WordsWithoutAlphabetsFilter()
    assert f.score_document("abc 123 \u00e9t\u00e9 --") == 0.5
    assert decide(f, "abc def ghi jkl 42") and not decide(f, "12 34 ab")


def test_repeated_lines_and_paragraphs_keep_mostly_unique_text() -> None:
    assert RepeatedLinesFilter().score_document("a\nb\na\na") == 0.5
    assert not decide(RepeatedLinesFilter(), "a\nb\na\na") and decide(RepeatedLinesFilter(), "a\nb\nc")
    assert RepeatedParagraphsFilter().score_document("p\n\nq\n\np") == 2 / 3
    assert not decide(RepeatedParagraphsFilter(), "p\n\nq\n\np") and decide(RepeatedParagraphsFilter(), "p\n\nq")


def test_repeating_top_ngrams_share_of_characters() -> None:
    f = RepeatingTopNGramsFilter(n=2)
    text = "to be to be or not"
    assert f.score_document(text) == (len(text) - len(text.replace("to be", ""))) / len(text)
    assert not decide(f, text)
    assert f.score_document("single") == 1.0


def test_repeating_duplicate_ngrams_counts_repeated_spans_once() -> None:
    f = RepeatingDuplicateNGramsFilter(n=2)
    text = "a b a b a b"
    # duplicated bigrams: (a b) at 2 (3 chars), then (b a) at 3 overlaps by one word, (a b) at 4 ...
    assert f.score_document(text) == 7 / 11
    assert decide(f, "each word here is different from the others")


def test_boilerplate_paragraphs() -> None:
    f = BoilerPlateStringFilter()
    assert f.score_document("Read our privacy policy\n\nreal text") == 0.5
    assert f.score_document("Lorem ipsum dolor") == 1.0
    assert decide(f, "real text\n\nmore text\n\nterms of use")


def test_boilerplate_counts_nemo_curators_cookie_banners() -> None:
    banner = (
        "Necessary cookies are absolutely essential for the website to function properly. This category only "
        "includes cookies that ensures basic functionalities and security features of the website. These cookies "
        "do not store any personal information."
    )
    f = BoilerPlateStringFilter()
    # One banner paragraph of two: 0.5 > 0.4, dropped (the banner holds none of the short policy strings).
    assert f.score_document(banner + "\n\nA story about a cat.") == 0.5
    assert not decide(f, banner + "\n\nA story about a cat.")


def test_substring_positions() -> None:
    assert decide(SubstringFilter("ab", "prefix"), "abc") and not decide(SubstringFilter("ab", "suffix"), "abc")
    with pytest.raises(ValueError, match="position"):
        SubstringFilter("x", "middle")


def test_degenerate_documents_are_dropped_where_nemo_would_divide_by_zero() -> None:
    for doc_filter in (
        SymbolsToWordsFilter(),
        BulletsFilter(),
        PunctuationFilter(),
        EllipsisFilter(),
        RepeatedLinesFilter(),
        MeanWordLengthFilter(),
        WordsWithoutAlphabetsFilter(),
    ):
        assert not decide(doc_filter, "   "), type(doc_filter).__name__
    # NeMo Curator raises on a document without words (max() of nothing): it is dropped, not kept.
    assert not decide(LongWordFilter(), "") and not decide(LongWordFilter(), " \n ")
    assert LongWordFilter().keep_column(LongWordFilter().score_column(pa.array(["", "ab", None]))).tolist() == [
        False,
        True,
        False,
    ]


NEED_PARAMETERS = {
    "SubstringFilter",
    "LanguageFilter",
    "GeneralCommentToCodeFilter",
    "PerExtensionFilter",
    "FastTextLangId",
    "FastTextQualityFilter",
    "TokenCountFilter",
    "TokenizerFertilityFilter",
    "HistogramFilter",
    "HTMLBoilerplateFilter",
}


@pytest.mark.parametrize("name", sorted(set(FILTERS) - NEED_PARAMETERS))
def test_every_registered_filter_scores_a_column_like_documents(name: str) -> None:
    doc_filter = resolve_filter({"name": name})
    texts = [PROSE, "", "x", "a\n\nb\n\na", "\u2022 #### ...\n\u2022 (x) 12 https://a.b/c"]
    scores = doc_filter.score_column(pa.array(texts))
    expected = [doc_filter.score_document(t) for t in texts]
    assert list(scores) == expected
    assert doc_filter.keep_column(scores).tolist() == [doc_filter.keep_document(s) for s in expected]


def test_filters_resolve_from_plain_data() -> None:
    f = resolve_filter({"name": "WordCountFilter", "min_words": 5})
    assert isinstance(f, WordCountFilter) and f.min_words == 5
    assert isinstance(resolve_filter("NumbersFilter"), NumbersFilter)
    with pytest.raises(ValueError, match="unknown filter 'Nope'.*WordCountFilter"):
        resolve_filter({"name": "Nope"})
    with pytest.raises(TypeError, match="WordCountFilter"):
        resolve_filter({"name": "WordCountFilter", "min_word": 5})


def test_chinese_words_are_segmented_with_jieba() -> None:
    pytest.importorskip("jieba")
    f = WordCountFilter(min_words=3, lang="zh")
    # jieba: 我 / 爱 / 北京 / 天安门 (NeMo Curator's segmentation; no spaces to split on).
    assert f.score_document("我爱北京天安门") == 4
    assert f.score_column(pa.array(["我爱北京天安门", "北京"])).tolist() == [4, 1]


def test_japanese_words_are_segmented_with_mecab() -> None:
    pytest.importorskip("fugashi")
    pytest.importorskip("unidic_lite")
    f = LongWordFilter(max_word_length=2, lang="ja")
    # MeCab with UniDic: すもも / も / もも / も / もも / の / うち
    assert f.score_document("すもももももももものうち") == 3
    assert not decide(f, "すもももももももものうち") and decide(f, "もも")
