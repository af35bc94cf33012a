"""Without GiNZA's word vectors the analysis refuses to run, with a message that says what
to install, instead of silently grouping opinions on the lexical part alone."""

import pytest

from kyokan import textanalysis
from kyokan.textanalysis import AnalysisInputError, WordVectorsMissing, analyze, analyze_csv
from kyokan.textanalysis import vectors as vectors_module

from .helpers import comment_rows, csv_bytes, labelled_rows


@pytest.fixture
def no_vectors_package(monkeypatch):
    """The real loader, as on a machine where ja-ginza is not installed: it finds no
    ``vocab`` folder (and the per-process cache starts empty, then is restored)."""
    monkeypatch.setattr(vectors_module, "_cache", {})
    monkeypatch.setattr(vectors_module, "vocab_dir", lambda: None)
    assert vectors_module.load_vectors() is None


def _texts(n=60):
    return [row["comment-body"] for row in labelled_rows("dev")[:n]]


def test_the_analysis_refuses_to_run_without_the_vectors(no_vectors_package):
    with pytest.raises(WordVectorsMissing) as caught:
        analyze(_texts())
    error = caught.value
    assert error.code == "vectors_missing"
    # An input error for its callers: the CLI exits non-zero with the message, the Django
    # layer records a failed run with it.
    assert isinstance(error, AnalysisInputError)
    assert "ja-ginza==5.3.0" in str(error) and "--no-deps" in str(error)


def test_the_csv_entry_point_refuses_too(no_vectors_package):
    with pytest.raises(WordVectorsMissing):
        analyze_csv(csv_bytes(comment_rows(["紙を減らす", "オンライン申請", "窓口の改善"])))


def test_the_pipeline_refuses_when_its_loader_finds_nothing(monkeypatch):
    monkeypatch.setattr("kyokan.textanalysis.analysis.load_vectors", lambda: None)
    with pytest.raises(WordVectorsMissing):
        analyze(_texts())


def test_require_vectors_reports_missing_and_unreadable_files(monkeypatch, no_vectors_package):
    with pytest.raises(WordVectorsMissing) as caught:
        textanalysis.require_vectors()
    assert caught.value.detail == ""

    def broken():
        raise ValueError("vectors file checksum differs")

    monkeypatch.setattr("kyokan.textanalysis.embed.load_vectors", broken)
    with pytest.raises(WordVectorsMissing) as caught:
        textanalysis.require_vectors()
    assert caught.value.detail == "ValueError: vectors file checksum differs"
    assert "checksum differs" in str(caught.value)


def test_another_ja_ginza_build_is_refused_not_misread(monkeypatch, tmp_path):
    """A ``vectors`` file other than the one the word table was converted from (another
    ja-ginza build) would silently give every word another row: it is refused."""
    import numpy as np

    vocab = tmp_path / "ja_ginza-5.3.0" / "vocab"
    vocab.mkdir(parents=True)
    np.save(vocab / "vectors.npy", np.zeros((20000, 300), dtype=np.float32))
    (vocab / "vectors.npy").rename(vocab / "vectors")
    monkeypatch.setattr(vectors_module, "_cache", {})
    monkeypatch.setattr(vectors_module, "vocab_dir", lambda: vocab)
    with pytest.raises(ValueError, match="checksum"):
        vectors_module.load_vectors()
    with pytest.raises(WordVectorsMissing) as caught:
        textanalysis.require_vectors()
    assert "checksum" in caught.value.detail


def test_the_word_table_is_read_without_spacy_and_matches_its_header():
    words, digest, shape = vectors_module.read_words()
    assert shape == (20000, 300) and len(digest) == 64
    assert len(words) > 480_000
    assert all(0 <= row < 20000 for row in list(words.values())[:1000])
    # Normalised forms are in the table (セキュリティー), as Sudachi gives them.
    assert "セキュリティー" in words and "電子申請" in words


def test_with_the_vectors_installed_the_analysis_uses_them():
    vectors = textanalysis.require_vectors()
    assert vectors.table.shape == (20000, 300)
    result = analyze(_texts(120))
    assert result.stats["word_vectors"] is True
    assert result.stats["clusters"]["coarse"] >= 2


def test_the_analysis_refuses_an_unreadable_or_foreign_vector_file(monkeypatch):
    def foreign():
        raise ValueError("vectors file checksum differs")

    monkeypatch.setattr("kyokan.textanalysis.analysis.load_vectors", foreign)
    with pytest.raises(WordVectorsMissing) as caught:
        analyze(_texts())
    assert "checksum differs" in caught.value.detail
