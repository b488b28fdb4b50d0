"""A filter given as plain data names what is wrong with it and suggests the right name."""

from __future__ import annotations

import pytest

from curator_text.filters.registry import resolve_filter


def test_a_misspelt_filter_parameter_gets_a_suggestion() -> None:
    with pytest.raises(
        TypeError, match=r"^filter 'WordCountFilter': unknown parameter 'min_wrods' \(did you mean 'min_words'\?\)"
    ):
        resolve_filter({"name": "WordCountFilter", "min_wrods": 3})


def test_a_misspelt_filter_name_gets_a_suggestion() -> None:
    with pytest.raises(ValueError, match=r"^unknown filter 'WordCuntFilter' \(did you mean 'WordCountFilter'\?\)"):
        resolve_filter({"name": "WordCuntFilter"})


def test_a_filter_parameter_of_the_wrong_type_names_it_and_the_value() -> None:
    with pytest.raises(TypeError, match=r"^filter 'WordCountFilter': parameter 'min_words' = 'abc': expected int"):
        resolve_filter({"name": "WordCountFilter", "min_words": "abc"})
