"""Without GiNZA's word vectors the analysis refuses to run, with a message that says what
to install, instead of silently grouping opinions on the lexical part alone."""

import pytest

from kyokan import insight
from kyokan.insight import InsightInputError, WordVectorsMissing, analyze, analyze_csv
from kyokan.insight import vectors as vectors_module

from .helpers import comment_rows, csv_bytes, labelled_rows


@pytest.fixture
def no_vectors_package(monkeypatch):
    """The real loader, as on a machine where ja-ginza is not installed: it finds no
    ``vocab`` folder (and the per-process cache starts empty, then is restored)."""
    monkeypatch.setattr(vectors_module, "_cache", {})
    monkeypatch.setattr(vectors_module, "vocab_dir", lambda: None)
    assert vectors_module.load_vectors() is None


def _texts(n=60):
    return [row["comment-body"] for row in labelled_rows()[:n]]


def test_the_analysis_refuses_to_run_without_the_vectors(no_vectors_package):
    with pytest.raises(WordVectorsMissing) as caught:
        analyze(_texts())
    error = caught.value
    assert error.code == "vectors_missing"
    # An input error for its callers: the CLI exits non-zero with the message, the Django
    # layer records a failed run with it.
    assert isinstance(error, InsightInputError)
    assert "ja-ginza==5.3.0" in str(error) and "--no-deps" in str(error)


def test_the_csv_entry_point_refuses_too(no_vectors_package):
    with pytest.raises(WordVectorsMissing):
        analyze_csv(csv_bytes(comment_rows(["紙を減らす", "オンライン申請", "窓口の改善"])))


def test_the_pipeline_refuses_when_its_loader_finds_nothing(monkeypatch):
    monkeypatch.setattr("kyokan.insight.analysis.load_vectors", lambda: None)
    with pytest.raises(WordVectorsMissing):
        analyze(_texts())


def test_require_vectors_reports_missing_and_unreadable_files(monkeypatch, no_vectors_package):
    with pytest.raises(WordVectorsMissing) as caught:
        insight.require_vectors()
    assert caught.value.detail == ""

    def broken():
        raise ValueError("key2row is truncated")

    monkeypatch.setattr("kyokan.insight.embed.load_vectors", broken)
    with pytest.raises(WordVectorsMissing) as caught:
        insight.require_vectors()
    assert caught.value.detail == "ValueError: key2row is truncated"
    assert "key2row is truncated" in str(caught.value)


def test_with_the_vectors_installed_the_analysis_uses_them():
    vectors = insight.require_vectors()
    assert vectors.table.shape == (20000, 300)
    result = analyze(_texts(120))
    assert result.stats["word_vectors"] is True
    assert result.stats["clusters"]["coarse"] >= 2
