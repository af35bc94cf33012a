from django.core.paginator import Paginator

from .models import ApiAccount

PAGE_SIZE = 50


def accounts_page(number):
    accounts = ApiAccount.objects.select_related("department", "created_by").order_by(
        "revoked_at", "name", "id"
    )
    return Paginator(accounts, PAGE_SIZE).get_page(number)
