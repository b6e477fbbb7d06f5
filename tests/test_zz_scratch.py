from archive.models import Article

TEXT = """Councillor Priya Okonkwo-Lane condemns Labour welfare plan

By Tom Fenwick

Priya Okonkwo-Lane, a Labour councillor in Leeds, said the welfare plan would hurt families. She posted <script>alert(1)</script> on her blog by mistake, and wrote <b>bold</b> claims about Keir Starmer.

"This is not what we campaigned for," said Okonkwo-Lane. The tag <img src=x onerror=alert(2)> also appeared in the page.
"""


def test_xss(ingest, write_file, client):
    p = write_file("xss.txt", TEXT)
    r = ingest(p)
    print(r.as_dict())
    a = Article.objects.get()
    print(
        repr(a.title),
        repr(a.body),
        a.published,
        [str(m.person or m.organisation) for m in a.mentions.all()],
        list(a.quotes.values_list("text", "speaker__name")),
    )
    for u in ["/search/?q=alert", "/search/?q=script", "/search/?q=bold", a.get_absolute_url(), "/search/?q=welfare"]:
        c = client.get(u).content.decode()
        i = c.find("<main")
        print("=====", u)
        print(c[i:][:3000] if "search" not in u else c[c.find('class="description"') :][:1500])
