"""The fixed corpus and filter set of the golden comparison, shared by make_golden.py and the test.

Plain Python with no imports beyond the standard library: make_golden.py loads it by path inside
the NeMo Curator virtualenv. Each filter entry is (key, class name, parameters); parameter values
``"@name"`` stand for the resource file ``resources/<name>``.
"""

from __future__ import annotations

PROSE = (
    "The history of the town goes back to the twelfth century, when a small market grew up beside the river. "
    "Over the following years the market became a centre of trade, and merchants from the whole region came "
    "to sell wool, grain and cloth. The church that stands in the square today was built with the money they "
    "left, and its tower can be seen from every road that leads to the town.\n\n"
    "In the nineteenth century the railway arrived and the town changed again. New houses were built on the "
    "hill, a school was opened, and the old market hall became a library that is still in use."
)
COOKIE_1 = (
    "This website uses cookies to improve your experience while you navigate through the website. Out of these "
    "cookies, the cookies that are categorized as necessary are stored on your browser as they are essential for "
    "the working of basic functionalities of the website. We also use third-party cookies that help us analyze and "
    "understand how you use this website. These cookies will be stored in your browser only with your consent. You "
    "also have the option to opt-out of these cookies. But opting out of some of these cookies may have an effect on "
    "your browsing experience."
)
COOKIE_2 = (
    "Necessary cookies are absolutely essential for the website to function properly. This category only includes "
    "cookies that ensures basic functionalities and security features of the website. These cookies do not store "
    "any personal information."
)
PYTHON_CODE = '''"""A module that counts words."""

import sys


def count(text):
    """Return the number of words."""
    # split on white space
    return len(text.split())  # words


class Counter:
    """Keeps a running total."""

    def add(self, text):
        self.total = getattr(self, "total", 0) + count(text)


if __name__ == "__main__":
    print(count(sys.stdin.read()))
'''
C_CODE = """/* A small C program.
 * It prints a greeting. */
#include <stdio.h>

// entry point
int main(void) {
    const char *s = "not // a comment";
    printf("%s\\n", s); /* done */
    return 0;
}
"""
JAVA_CODE = """package demo;

/** A greeter. */
public class Hello {
    // say hello
    public static void main(String[] args) {
        System.out.println("Hello /* not a comment */ world");
    }
}
"""
JS_CODE = """// Utility functions
const url = 'http://example.com/path'; // a URL
function add(a, b) {
  /* add two numbers */
  return a + b;
}
const s = "quote \\" // still a string";
module.exports = { add };
"""
GO_CODE = """package main

import "fmt"

// main prints a raw string
func main() {
\ts := `raw // not a comment`
\tfmt.Println(s) /* trailing
\tblock */
}
"""
SHELL_CODE = """#!/bin/bash
# Build the project
set -e
echo "not # a comment" # real comment
echo \\# escaped
make all
"""
RUBY_CODE = """# A Ruby class
class Greeter
  def greet(name)
    puts "Hello #{name}" # greet
  end
end
"""
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Recipes</title>
<style>body { font-family: sans-serif; }</style>
<script>var tracking = "a very long script that is not visible text at all";</script>
</head>
<body>
<!-- navigation -->
<h1>Bread</h1>
<p>Mix the flour, water, salt and yeast, then knead the dough for ten minutes until it is smooth.
Leave it to rise for an hour, shape it, and bake it in a hot oven until the crust is brown.</p>
<p>Serve with butter &amp; jam.</p>
</body></html>
"""
HTML_BOILERPLATE = (
    "<html><head><script>" + "var x = 1; " * 40 + "</script></head><body><div><a href='/'>Home</a> "
    "<a href='/about'>About</a></div></body></html>"
)
XML_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<catalog>
  <!-- a book -->
  <book id="1"><title>Rivers</title></book>
</catalog>
"""
XML_LATE = " " * 120 + '<?xml version="1.0"?><root/>'
BAD_PYTHON = "def broken(:\n    return 'x' # comment\n"
UNTERMINATED_C = "int x = 1; /* never closed\nint y = 2;\n"
TABLE = "\n".join(", ".join(str((i * 7919 + j * 104729) % 1000) for j in range(12)) for i in range(30))

DOCUMENTS: list[tuple[str, str | None]] = [
    ("prose", PROSE),
    ("empty", ""),
    ("whitespace", " \n\t \n\n  "),
    ("single_word", "hello"),
    ("short_sentence", "The cat sat on the mat."),
    ("non_ascii_digits", "Prices: \u0661\u0662\u0663 and \u096a\u096b and \uff14\uff15\uff16 and 789 in total."),
    ("non_ascii_spaces", "word\u00a0word\u2003word\u3000word and more words\u2028here"),
    ("long_word", "start " + "x" * 1200 + " end"),
    ("long_word_edge", "a " + "y" * 1000),
    ("tied_ngrams", "red fish blue fish red cat blue cat"),
    ("repeated_ngrams", "the quick fox the quick fox the quick fox jumps over"),
    ("repeated_lines", "same line\nsame line\nsame line\nother line\n"),
    ("repeated_paragraphs", "para one\n\npara one\n\npara one\n\npara two"),
    ("bullets", "\u2022 first item\n\u2022 second item\n\u25cf third item\nnot a bullet"),
    ("ellipsis", "and then...\nwait for it\u2026\nread more\nthe end."),
    ("no_endmarks", "line without mark\nanother line\nlast one"),
    ("symbols", "### heading ### ... #### more ... words here ##"),
    ("numbers", "2024 1999 3.14159 42 7 100000 and some words"),
    ("parentheses", "(a) [b] {c} \u27e8d\u27e9 (((nested)))"),
    ("urls", "See https://example.com/a/b?c=d#frag and http://test.org/~user/page.html for details."),
    ("porn_url", "Visit https://www.pornsite.example/video now"),
    ("url_like_no_scheme", "www.example.com and ftp://files.example.com are not matched"),
    ("boilerplate_short", "Read our privacy policy.\n\nWe use cookies.\n\nContent paragraph here."),
    ("cookie_banner_1", "Welcome to our site.\n\n" + COOKIE_1 + "\n\nToday we review a new bicycle."),
    ("cookie_banner_2", COOKIE_2 + "\n\nA short story about a cat."),
    ("lorem_ipsum", "Lorem ipsum dolor sit amet, consectetur adipiscing elit."),
    ("common_words", "the cat and the dog with a ball"),
    ("uppercase_words", "THE CAT AND THE DOG WITH A BALL"),
    ("no_alpha_words", "123 456 789 !!! ??? 42 abc"),
    ("mixed_cjk", "我爱北京天安门。今天天气很好\uff0c我们去公园散步吧。"),
    ("japanese", "すもももももももものうち。東京へ行きます。今日はいい天気ですね。"),
    (
        "cyrillic",
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? "
        "\u042d\u0442\u043e \u0442\u0435\u0441\u0442\u043e\u0432\u044b\u0439 \u0442\u0435\u043a\u0441\u0442.",
    ),
    ("label_text", "__label__hq this text mentions a fastText label\nover two lines"),
    ("python_code", PYTHON_CODE),
    ("bad_python", BAD_PYTHON),
    ("c_code", C_CODE),
    ("java_code", JAVA_CODE),
    ("js_code", JS_CODE),
    ("go_code", GO_CODE),
    ("shell_code", SHELL_CODE),
    ("ruby_code", RUBY_CODE),
    ("unterminated_c", UNTERMINATED_C),
    ("html_page", HTML_PAGE),
    ("html_boilerplate", HTML_BOILERPLATE),
    ("xml_doc", XML_DOC),
    ("xml_late_header", XML_LATE),
    ("numeric_table", TABLE),
    ("long_line", "x = [" + ", ".join(str(i) for i in range(400)) + "]\n"),
    ("carriage_returns", "line one\r\nline two\r\n\r\nline three\b"),
    # Last: NeMo Curator raises on it, and the quality filter's random draws must stay aligned before it.
    ("null", None),
]

MIME_TYPES = (
    "text/x-c",
    "text/x-c++",
    "text/x-java",
    "application/javascript",
    "text/x-go",
    "text/x-python",
    "text/x-shellscript",
    "text/x-ruby",
    "text/html",
    "text/xml",
    "text/x-rust",
)

FILTERS: list[tuple[str, str, dict[str, object]]] = [
    ("NonAlphaNumericFilter", "NonAlphaNumericFilter", {}),
    ("SymbolsToWordsFilter", "SymbolsToWordsFilter", {}),
    ("NumbersFilter", "NumbersFilter", {}),
    ("UrlsFilter", "UrlsFilter", {}),
    ("UrlsFilter/url_regex", "UrlsFilter", {"url_regex": r"https?://[^\s]+", "max_url_to_text_ratio": 0.1}),
    ("BulletsFilter", "BulletsFilter", {}),
    ("WhiteSpaceFilter", "WhiteSpaceFilter", {}),
    ("ParenthesesFilter", "ParenthesesFilter", {}),
    ("LongWordFilter", "LongWordFilter", {}),
    ("WordCountFilter", "WordCountFilter", {}),
    ("WordCountFilter/small", "WordCountFilter", {"min_words": 3, "max_words": 20}),
    ("BoilerPlateStringFilter", "BoilerPlateStringFilter", {}),
    ("MeanWordLengthFilter", "MeanWordLengthFilter", {}),
    ("PunctuationFilter", "PunctuationFilter", {}),
    ("EllipsisFilter", "EllipsisFilter", {}),
    ("CommonEnglishWordsFilter", "CommonEnglishWordsFilter", {}),
    ("CommonEnglishWordsFilter/count_all", "CommonEnglishWordsFilter", {"stop_at_false": False}),
    ("WordsWithoutAlphabetsFilter", "WordsWithoutAlphabetsFilter", {}),
    ("PornographicUrlsFilter", "PornographicUrlsFilter", {}),
    ("SubstringFilter/prefix", "SubstringFilter", {"substring": "The", "position": "prefix"}),
    ("SubstringFilter/suffix", "SubstringFilter", {"substring": ".", "position": "suffix"}),
    ("SubstringFilter/any", "SubstringFilter", {"substring": "cat", "position": "any"}),
    ("RepeatedLinesFilter", "RepeatedLinesFilter", {}),
    ("RepeatedParagraphsFilter", "RepeatedParagraphsFilter", {}),
    ("RepeatedLinesByCharFilter", "RepeatedLinesByCharFilter", {}),
    ("RepeatedParagraphsByCharFilter", "RepeatedParagraphsByCharFilter", {}),
    ("RepeatingTopNGramsFilter/2", "RepeatingTopNGramsFilter", {"n": 2}),
    ("RepeatingTopNGramsFilter/3", "RepeatingTopNGramsFilter", {"n": 3, "max_repeating_ngram_ratio": 0.18}),
    ("RepeatingTopNGramsFilter/4", "RepeatingTopNGramsFilter", {"n": 4, "max_repeating_ngram_ratio": 0.16}),
    ("RepeatingDuplicateNGramsFilter/2", "RepeatingDuplicateNGramsFilter", {"n": 2}),
    (
        "RepeatingDuplicateNGramsFilter/5",
        "RepeatingDuplicateNGramsFilter",
        {"n": 5, "max_repeating_duplicate_ngram_ratio": 0.1},
    ),
    ("WordCountFilter/zh", "WordCountFilter", {"min_words": 5, "lang": "zh"}),
    ("MeanWordLengthFilter/zh", "MeanWordLengthFilter", {"min_mean_word_length": 1, "lang": "zh"}),
    ("RepeatingTopNGramsFilter/zh", "RepeatingTopNGramsFilter", {"n": 2, "lang": "zh"}),
    ("WordCountFilter/ja", "WordCountFilter", {"min_words": 5, "lang": "ja"}),
    ("LongWordFilter/ja", "LongWordFilter", {"max_word_length": 3, "lang": "ja"}),
    ("SymbolsToWordsFilter/ja", "SymbolsToWordsFilter", {"lang": "ja"}),
    ("PythonCommentToCodeFilter", "PythonCommentToCodeFilter", {}),
    *[(f"GeneralCommentToCodeFilter/{m}", "GeneralCommentToCodeFilter", {"language": m}) for m in MIME_TYPES],
    ("NumberOfLinesOfCodeFilter", "NumberOfLinesOfCodeFilter", {}),
    ("NumberOfLinesOfCodeFilter/small", "NumberOfLinesOfCodeFilter", {"min_lines": 3, "max_lines": 12}),
    ("XMLHeaderFilter", "XMLHeaderFilter", {}),
    ("AlphaFilter", "AlphaFilter", {}),
    ("HTMLBoilerplateFilter", "HTMLBoilerplateFilter", {}),
    ("HTMLBoilerplateFilter/short", "HTMLBoilerplateFilter", {"min_lang_content_num_chars": 10}),
    *[
        (
            f"PerExtensionFilter/{lang}.{ext}",
            "PerExtensionFilter",
            {"lang": lang, "extension": ext, "metadata_file": "@code_meta.csv"},
        )
        for lang, ext in (("python", "py"), ("python", "pyw"), ("python", "pyx"), ("javascript", "js"), ("C#", "cs"))
    ],
    ("TokenizerFertilityFilter", "TokenizerFertilityFilter", {"path_to_tokenizer": "@tiny_sp.model"}),
    (
        "TokenCountFilter",
        "TokenCountFilter",
        {"tokenizer_file": "@tiny_tokenizer.json", "min_tokens": 5, "max_tokens": 60},
    ),
    ("HistogramFilter", "HistogramFilter", {"lang": "en", "cache_dir": "@histograms"}),
    ("HistogramFilter/low", "HistogramFilter", {"lang": "en", "threshold": 0.5, "cache_dir": "@histograms"}),
    ("FastTextLangId", "FastTextLangId", {"model_path": "@tiny_langid.bin"}),
    ("FastTextLangId/en", "FastTextLangId", {"model_path": "@tiny_langid.bin", "min_langid_score": 0.5, "lang": "en"}),
    ("FastTextQualityFilter", "FastTextQualityFilter", {"model_path": "@tiny_quality.bin"}),
]
