"""The terminology check uses the text library's folding and its one Sudachi dictionary
(issue 9, item 18): the same behaviour as every other search, and the dictionary loaded
once per process for all of Kyokan."""

import threading

import pytest

from kyokan.apps.documents import terms
from kyokan.textanalysis import tokenize as text_tokenize
from kyokan.textanalysis.normalize import fold

SAMPLES = [
    "ＤＸ",
    "dx",
    "ﾃﾞｼﾞﾀﾙ化",
    "でじたる化",
    "デジタル化",
    "ＩＣＴ化",
    "ｶﾞｲﾄﾞﾗｲﾝ",
    "オープン データ",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_search_form_is_the_libraries_fold(text):
    assert terms.normalise_for_search(text) == fold(text)
    # The check's copy keeps whitespace (a term broken by a line break is not matched) but
    # otherwise folds exactly as the library does.
    assert "".join(terms.normalise(text).split()) == fold(text)


def test_width_case_and_kana_variants_are_found_alike():
    found = terms.check_text(
        "ﾃﾞｼﾞﾀﾙ化とでじたる化とＤＩＧＩＴＡＬ化",
        terms.compile_terms([_Term(1, "デジタル化", ["digital化"])]),
    )
    assert [o.matched for o in found] == ["ﾃﾞｼﾞﾀﾙ化", "でじたる化", "ＤＩＧＩＴＡＬ化"]


class _Term:
    def __init__(self, pk, preferred, variants):
        self.pk, self.preferred, self.variant_list = pk, preferred, variants


def test_one_sudachi_dictionary_for_the_check_and_the_analysis(monkeypatch):
    import sudachipy

    loads = []
    real = sudachipy.Dictionary

    def counting(*args, **kwargs):
        loads.append(kwargs.get("dict"))
        return real(*args, **kwargs)

    monkeypatch.setattr(sudachipy, "Dictionary", counting)
    text_tokenize._dictionary.cache_clear()
    monkeypatch.setattr(terms, "_local", threading.local())
    try:
        # The check, in two threads (each gets its own tokenizer), then the analysis.
        results = []
        for _ in range(2):
            worker = threading.Thread(target=lambda: results.append(terms.tokenizer()))
            worker.start()
            worker.join()
        assert results[0] is not results[1]
        text_tokenize.tokenize_texts(["行政手続のデジタル化を進める。"])
        assert terms.morpheme_boundaries("電子化を進める") >= {0, 3, 4, 7}
        assert loads == ["core"]
    finally:
        text_tokenize._dictionary.cache_clear()
