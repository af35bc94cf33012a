"""Input problems of the consensus library.

Every problem raises :class:`ConsensusInputError` *before* anything is returned (nothing is
half-read or half-analysed). Its message is English (the command line prints it); ``code`` and
``params`` let a caller write its own translated message. Every code and its parameters are in
:data:`CODES`; :data:`MESSAGES_JA` holds a Japanese text for each (``error.message_ja``), the
same pattern as ``kyokan.textanalysis.io``.
"""

from __future__ import annotations

#: Every code a ConsensusInputError carries, and the names of its parameters.
CODES: dict[str, tuple[str, ...]] = {
    "invalid_input": (),
    # decoding a CSV file (the codes of kyokan.textanalysis.io.decode_bytes)
    "utf8_broken_after_bom": ("file", "position"),
    "utf16_broken": ("file",),
    "utf8_broken": ("file", "broken", "position"),
    "encoding_unknown": ("file",),
    "binary": ("file",),
    # reading a Polis export
    "not_a_directory": ("path",),
    "missing_file": ("file",),
    "unreadable": ("file", "reason"),
    "empty_file": ("file",),
    "missing_columns": ("file", "missing", "found"),
    "malformed": ("file", "line", "error"),
    "bad_value": ("file", "line", "column", "value"),
    "duplicate_statement_id": ("file", "line", "id"),
    # votes and statements (from_triples, read_export)
    "bad_vote": ("line", "value"),
    "bad_participant": ("line", "value"),
    "bad_statement": ("line", "value"),
    "unknown_statement": ("line", "statement"),
    "hidden_statement": ("line", "statement"),
    "statement_empty": ("line",),
    "statement_too_long": ("line", "length", "limit"),
    "statement_duplicate": ("line", "first_line"),
    "too_large": ("what", "count", "limit"),
    # analysis
    "bad_previous": ("reason",),
}

#: Japanese text of every code (``str.format`` with the parameters).
MESSAGES_JA: dict[str, str] = {
    "invalid_input": "入力を分析できません。",
    "utf8_broken_after_bom": (
        "{file}: UTF-8 として始まっていますが、{position} バイト目に壊れた文字があります。"
    ),
    "utf16_broken": "{file}: UTF-16 のファイルですが、壊れた文字があります。",
    "utf8_broken": (
        "{file}: UTF-8 のファイルですが、壊れた文字が {broken} か所あります"
        "（最初は {position} バイト目）。UTF-8 で保存し直してください。"
    ),
    "encoding_unknown": (
        "{file}: 文字コードを判別できません（UTF-8 と Shift_JIS を試しました）。"
        "UTF-8 の CSV で保存してください。"
    ),
    "binary": "{file}: テキストの CSV ファイルではありません（NUL 文字を含みます）。",
    "not_a_directory": "{path} は Polis のエクスポートのフォルダではありません。",
    "missing_file": "Polis のエクスポートに {file} がありません。",
    "unreadable": "{file} を読めません: {reason}",
    "empty_file": "{file} が空です。",
    "missing_columns": "{file} に列 {missing} がありません（見つかった列: {found}）。",
    "malformed": "{file} の {line} 行目: CSV の形式が正しくありません（{error}）。",
    "bad_value": "{file} の {line} 行目: 列 {column} の値「{value}」が正しくありません。",
    "duplicate_statement_id": "{file} の {line} 行目: 意見の ID「{id}」が重複しています。",
    "bad_vote": (
        "{line} 件目: 投票「{value}」が正しくありません"
        "（1 = 賛成、-1 = 反対、0 = パスのいずれかです）。"
    ),
    "bad_participant": "{line} 件目: 参加者の ID「{value}」が正しくありません。",
    "bad_statement": "{line} 件目: 意見の ID「{value}」が正しくありません。",
    "unknown_statement": "{line} 件目: 存在しない意見「{statement}」への投票です。",
    "hidden_statement": "{line} 件目: 非表示の意見「{statement}」への投票です。",
    "statement_empty": "{line} 件目: 意見が空です。",
    "statement_too_long": (
        "{line} 件目: 意見が長すぎます（{length} 文字。{limit} 文字までです）。"
    ),
    "statement_duplicate": "{line} 件目: {first_line} 件目と同じ意見です。",
    "too_large": "{what} が多すぎます（{count} 件。{limit} 件までです）。",
    "bad_previous": "前回の分析結果を読めません: {reason}",
}


class ConsensusInputError(ValueError):
    """The input cannot be read or analysed; the message says why (English).

    ``code`` names the problem and ``params`` holds its values (see :data:`CODES`)."""

    code = "invalid_input"

    def __init__(self, message: str = "", *, code: str | None = None, params=None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, object] = dict(params or {})

    @property
    def message_ja(self) -> str:
        """The Japanese text of this problem."""
        return message_ja(self.code, self.params)


def message_ja(code: str, params: dict | None = None) -> str:
    """Japanese text of a code with its parameters (an unknown code: the general text)."""
    template = MESSAGES_JA.get(code) or MESSAGES_JA["invalid_input"]
    values = {name: "" for name in CODES.get(code, ())}
    values.update(params or {})
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return MESSAGES_JA["invalid_input"]
