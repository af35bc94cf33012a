import pytest

from kyokan.apps.core.exports import csv_bytes
from kyokan.apps.procedures import codes

NATIONAL = "/work/shared/data/national-procedures/procedures-survey-r7.csv.gz"


def national_row(pid, name="転入届", **over):
    """A row of the national file: the 38 columns, with sensible values."""
    values = {h: "" for h in codes.HEADERS}
    values.update({
        "手続ID": str(pid), "所管府省庁": "総務省", "手続名": name, "法令名": "住民基本台帳法",
        "手続類型": "1 申請等", "手続主体": "5 国民等", "事務区分": "1 自治事務",
        "府省共通手続": "×（府省共通手続でない）", "実施府省庁": "総務省",
        "オンライン化の実施状況": "2 未実施", "申請等における本人確認手法": "2 押印",
        "総手続件数": "100", "オンライン手続件数": "0", "非オンライン手続件数": "100",
        "申請時に添付させる書類": "本人確認書類", "手続が行われるイベント(個人)": "引越し",
    })  # fmt: skip
    values.update(over)
    return [values[h] for h in codes.HEADERS]


def national_file(rows, *, header=None) -> bytes:
    return csv_bytes(header or codes.HEADERS, rows)


@pytest.fixture
def secretariat(people):
    return people["secretariat"]
