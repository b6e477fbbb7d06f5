from django.core.paginator import Paginator
from django.utils.functional import cached_property


def querystring_prefix(request, param: str = "page") -> str:
    """The request's query string without ``param``, ready for '?{prefix}page=N' links."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode() + "&" if params else ""


class CountedPaginator(Paginator):
    """A paginator told how many items there are, for a list whose own count is the slow
    way to learn it (an often-named person's articles: see ``ArticleQuerySet.named_by``)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def page_of(request, items, per_page: int, param: str = "page", count: int | None = None):
    """The page of ``items`` that ``?{param}=N`` asks for (the first or last when N is not
    one); ``count``, when given, is how many items there are."""
    paginator = Paginator(items, per_page) if count is None else CountedPaginator(items, per_page, count)
    return paginator.get_page(request.GET.get(param))
