def querystring_prefix(request) -> str:
    """The request's query string without ``page``, ready for '?{prefix}page=N' links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode() + "&" if params else ""
