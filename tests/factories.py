"""All factories in one place."""

import factory
from django.contrib.auth.hashers import make_password

from kyokan.apps.core.models import Department, FiscalYear, Municipality, RoleAssignment, User
from kyokan.apps.core.roles import Role

TEST_PASSWORD = "test-pass-2026!"
_HASH = None


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = make_password(TEST_PASSWORD)
    return _HASH


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = "テスト市"
    code = "139904"
    issuing_office = "デジタル化推進本部事務局"
    hourly_labour_cost = 4000
    citizen_hour_value = 2000
    default_useful_life_years = 5


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"第{n}部")
    kind = Department.Kind.BUREAU
    sort_order = factory.Sequence(lambda n: n)


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"第{n}課")
    kind = Department.Kind.DIVISION
    parent = factory.SubFactory(BureauFactory)
    sort_order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"試験 太郎{n}")
    full_name_kana = "しけん たろう"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    password = factory.LazyFunction(_password_hash)
    department = factory.SubFactory(DivisionFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            department = None
            if role == Role.PROMOTER:
                department = self.department.parent if self.department else BureauFactory()
            RoleAssignment.objects.create(user=self, role=role, department=department)


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)

    year = 2023


# --- meetings -------------------------------------------------------------------------


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.MeetingSeries"

    name = factory.Sequence(lambda n: f"テスト会議{n}")
    kind = "hq"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    series = factory.SubFactory(MeetingSeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = "planning"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(UserFactory)
