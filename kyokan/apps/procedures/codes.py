"""The national survey's columns and code lists (デジタル庁「行政手続等の悉皆調査」).

A coded cell is written as the survey writes it, "1 実施済": the code, a space, the label.
Some columns hold several codes separated by "; " ("2 押印; 6 本人確認不要"). The import
accepts the code with its label, the code alone or the label alone, and refuses any other
value, naming the column and the codes it knows.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# The 38 columns of the national file, in its order: (header, field name).
COLUMNS: list[tuple[str, str]] = [
    ("手続ID", "procedure_id"),
    ("所管府省庁", "ministry"),
    ("手続名", "name"),
    ("法令名", "law_name"),
    ("法令番号", "law_number"),
    ("根拠条項号", "article"),
    ("手続類型", "procedure_type"),
    ("手続主体", "actor"),
    ("手続の受け手", "receiver"),
    ("経由機関", "via"),
    ("独立行政法人等の名称", "agency_names"),
    ("事務区分", "affairs_kind"),
    ("府省共通手続", "common_procedure"),
    ("実施府省庁", "implementing_ministries"),
    ("オンライン化の実施状況", "online_status"),
    ("オンライン化の実施予定及び検討時の懸念点", "online_plan"),
    ("オンライン化実施時期", "online_timing"),
    ("申請等における本人確認手法", "identity_methods"),
    ("手数料等の納付有無", "fee_kind"),
    ("手数料等の納付方法", "fee_methods"),
    ("手数料等のオンライン納付時の優遇措置", "online_fee_incentive"),
    ("処理期間(オンライン)", "processing_online"),
    ("処理期間(非オンライン)", "processing_offline"),
    ("情報システム(申請)", "system_application"),
    ("情報システム(事務処理)", "system_processing"),
    ("総手続件数", "total_count"),
    ("オンライン手続件数", "online_count"),
    ("非オンライン手続件数", "offline_count"),
    ("申請書等に記載させる情報", "application_info"),
    ("申請時に添付させる書類", "attachments"),
    ("添付書類等提出の撤廃/省略状況", "attachment_removal"),
    ("添付書類等の提出方法", "attachment_method"),
    ("添付書類等への電子署名", "attachment_signature"),
    ("添付形式等が定められた規定", "attachment_format_rule"),
    ("手続が行われるイベント(個人)", "events_personal"),
    ("手続が行われるイベント(法人)", "events_corporate"),
    ("申請に関連する士業", "professions"),
    ("申請を提出する機関", "submission_office"),
]
HEADERS = [h for h, _f in COLUMNS]
FIELD_OF = dict(COLUMNS)
HEADER_OF = {f: h for h, f in COLUMNS}
COUNT_FIELDS = ("total_count", "online_count", "offline_count")

PROCEDURE_TYPE = {
    "1": "申請等",
    "2-1": "申請等に基づく処分通知等",
    "2-2": "申請等に基づかない処分通知等",
    "2-3": "交付等（民間手続）",
    "3": "縦覧等",
    "4": "作成・保存等",
}
ACTOR = {
    "1": "国",
    "2": "独立行政法人等",
    "3": "地方等",
    "4-1": "国又は独立行政法人等",
    "4-2": "独立行政法人等又は地方等",
    "4-3": "国又は地方等",
    "4-4": "国、独立行政法人等又は地方等",
    "5": "国民等",
    "6": "民間事業者等",
    "7": "国民等、民間事業者等",
}
AFFAIRS_KIND = {
    "1": "自治事務",
    "2": "第1号法定受託事務",
    "3": "第2号法定受託事務",
    "4": "地方の事務でない",
}
MUNICIPAL_AFFAIRS = ("1", "2", "3")
# 府省共通手続 has no numeric code: its three marks are the values.
COMMON_PROCEDURE = {
    "×": "×（府省共通手続でない）",
    "●": "●（一部の府省）",
    "○": "○（全府省）",
}
ONLINE_STATUS = {
    "1": "実施済",
    "2": "未実施",
    "3": "適用除外",
    "4": "その他",
    "5": "一部実施済",
}
ONLINE_DONE = ("1",)
ONLINE_PARTLY = ("5",)
ONLINE_TIMING = {
    "1": "2024年度",
    "2": "2025年度",
    "3": "2026年度",
    "4": "2027年度",
    "5": "2028年度",
    "6": "2029年度",
    "7": "2030年度以降",
}
TIMING_YEAR = {"1": 2024, "2": 2025, "3": 2026, "4": 2027, "5": 2028, "6": 2029, "7": 2030}
IDENTITY = {
    "1": "押印＋印鑑証明",
    "2": "押印",
    "3": "署名",
    "4": "本人確認書類の提示・提出",
    "5": "その他",
    "6": "本人確認不要",
}
SEAL_CODES = ("1", "2")
SIGNATURE_CODES = ("3",)
FEE_KIND = {"1": "手数料等無し", "2": "手数料等有り"}
FEE_INCENTIVE = {"1": "減免措置有り", "2": "減免措置無し"}
ATTACHMENT_REMOVAL = {
    "1": "撤廃・省略済",
    "2": "撤廃・省略予定",
    "3": "撤廃・省略不可",
    "4": "その他",
}
ATTACHMENT_METHOD = {
    "0": "電子・原紙を選択可能",
    "1": "電子での提出のみ",
    "2": "原紙での提出のみ",
    "3": "一部電子、一部原紙での提出",
    "4": "その他",
}
ATTACHMENT_SIGNATURE = {
    "1": "電子署名は必要ない",
    "2": "一部の書類で電子署名が必要",
    "3": "全ての書類で電子署名が必要",
}
ATTACHMENT_FORMAT_RULE = {
    "0": "規定はない",
    "1": "法令の規定",
    "2": "告示等の規定",
    "3": "システムの仕様",
    "4": "その他",
}

# Field → its code list; single-valued columns keep the code, multi-valued the survey's text.
SINGLE_CODED = {
    "procedure_type": PROCEDURE_TYPE,
    "actor": ACTOR,
    "receiver": ACTOR,
    "affairs_kind": AFFAIRS_KIND,
    "common_procedure": COMMON_PROCEDURE,
    "online_status": ONLINE_STATUS,
    "online_timing": ONLINE_TIMING,
    "fee_kind": FEE_KIND,
    "online_fee_incentive": FEE_INCENTIVE,
}
MULTI_CODED = {
    "identity_methods": IDENTITY,
    "attachment_removal": ATTACHMENT_REMOVAL,
    "attachment_method": ATTACHMENT_METHOD,
    "attachment_signature": ATTACHMENT_SIGNATURE,
    "attachment_format_rule": ATTACHMENT_FORMAT_RULE,
}
NO_ATTACHMENTS = "添付書類なし"
NOT_AN_EVENT = "その他(個人も法人にもあてはまらない)"


_TABLES = {
    id(t): t
    for t in (PROCEDURE_TYPE, ACTOR, AFFAIRS_KIND, COMMON_PROCEDURE, ONLINE_STATUS, ONLINE_TIMING,
              IDENTITY, FEE_KIND, FEE_INCENTIVE, ATTACHMENT_REMOVAL, ATTACHMENT_METHOD,
              ATTACHMENT_SIGNATURE, ATTACHMENT_FORMAT_RULE)
}  # fmt: skip


def choices(codes: dict[str, str]) -> list[tuple[str, str]]:
    if codes is COMMON_PROCEDURE:
        return list(codes.items())
    return [(code, f"{code} {label}") for code, label in codes.items()]


def code_list(codes: dict[str, str]) -> str:
    """「1 実施済、2 未実施、…」 for messages."""
    return "、".join(label for _code, label in choices(codes))


@cache
def _normal_labels(table_id: int) -> dict[str, str]:
    table = _TABLES[table_id]
    return {unicodedata.normalize("NFKC", label): code for code, label in table.items()}


def parse_code(value: str, codes: dict[str, str]) -> str | None:
    """The code of one cell value ("1 実施済", "1" or "実施済", compared after NFKC), or
    None if unknown."""
    value = unicodedata.normalize("NFKC", value).strip()
    labels = _normal_labels(id(codes))
    if codes is COMMON_PROCEDURE:
        if value in codes:
            return value
        if value in labels:
            return labels[value]
        return value[:1] if value[:1] in codes else None
    if value in codes:
        return value
    head, _sep, rest = value.partition(" ")
    if head in codes and (not rest or labels.get(rest.strip()) == head):
        return head
    return labels.get(value)


def parse_codes(value: str, codes: dict[str, str]) -> tuple[list[str], list[str]]:
    """(codes, unknown parts) of a multi-valued cell ("2 押印; 6 本人確認不要")."""
    found, unknown = [], []
    for part in value.replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code = parse_code(part, codes)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    return found, unknown


def multi_text(found: list[str], codes: dict[str, str]) -> str:
    """The survey's own way of writing several codes: "2 押印; 6 本人確認不要"."""
    return "; ".join(f"{code} {codes[code]}" for code in found)
