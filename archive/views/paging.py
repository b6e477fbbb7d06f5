from django.core.paginator import Paginator


def querystring_prefix(request, param: str = "page") -> str:
    """The request's query string without ``param``, ready for '?{prefix}page=N' links."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode() + "&" if params else ""


def page_of(request, items, per_page: int, param: str = "page"):
    """The page of ``items`` that ``?{param}=N`` asks for (the first or last when N is not one)."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
