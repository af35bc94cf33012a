from datetime import date, timedelta

import pytest
from django.utils import timezone

from kyokan.apps.documents import services
from kyokan.apps.documents.services import SectionData as S
from tests.documents.adoption import adopt


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def strategy(sysadmin):
    return services.document_create(actor=sysadmin, kind="strategy", title="デジタル強靱化戦略")


@pytest.fixture
def adopted(sysadmin, strategy):
    version = services.version_create(
        actor=sysadmin,
        document=strategy,
        label="令和3年度版",
        sections=[
            S("目指す姿", "ICTを活用し、市民の利便性向上と行政の効率化を実現するまち。"),
            S("基本方針", "情報化の推進により、行政手続のデジタル化を進める。"),
            S("施策の柱", ""),
            S("行政手続のオンライン化", "ICTを活用した電子申請を拡大する。", 1),
            S("業務のデジタル化", "RPA等のツールを導入する。", 1),
        ],
    )
    adopt(version, actor=sysadmin, day=date(2021, 4, 1))
    return version


@pytest.fixture
def revision(people, adopted):
    return services.version_revise(actor=people["secretariat"], version=adopted, label="改定案")


@pytest.fixture
def deadline():
    return timezone.localdate() + timedelta(days=14)
