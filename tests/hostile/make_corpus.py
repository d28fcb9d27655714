#!/usr/bin/env python3
"""Writes the hostile corpus (tests/hostile/*.http) that tests/api/hostile_test.cpp sends.

The .http files are the corpus and are committed; this script is how the
systematic parts of it (every text field x every attack string) were written,
so a new field or route is one line here. Run from the repository root:
    python3 tests/hostile/make_corpus.py
Format: see tests/hostile/README.md.
"""
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
files = {}


def block(file, name, expect, method, target, headers=(), body="", as_=None, status=None):
    lines = ["=== " + name, "@expect " + expect]
    if expect == "slow":
        lines.append("@slow 200 30")
    if as_:
        lines.append("@as " + as_)
    if status:
        lines.append("@status %d" % status)
    lines.append(method + " " + target)
    lines.extend("%s: %s" % h for h in headers)
    lines.append("")
    if body:
        lines.append(body)
    lines.append("")
    files.setdefault(file, []).append("\n".join(lines))


JSON = [("Content-Type", "application/json")]
XML = [("Content-Type", "application/xml")]
q = lambda s: urllib.parse.quote(s, safe="")

# ---------------------------------------------------------------- XML / memo
MEMO = "PUT", "/api/v1/cases/{case}/memo"
META = "<meta><date>2020-10-05</date><title>%s</title><committee>Socialnämnden</committee></meta>"
xxe = {
    "xxe-file-entity": '<?xml version="1.0"?>\n<!DOCTYPE memo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<memo>' + META % "&xxe;" + "</memo>",
    "xxe-parameter-entity": '<?xml version="1.0"?>\n<!DOCTYPE memo [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n<memo>' + META % "x" + "</memo>",
    "xxe-external-dtd": '<?xml version="1.0"?>\n<!DOCTYPE memo SYSTEM "file:///etc/passwd">\n<memo>' + META % "x" + "</memo>",
    "xxe-public-dtd": '<!DOCTYPE memo PUBLIC "-//K//X" "file:///etc/passwd"><memo>' + META % "x" + "</memo>",
    "xxe-http-dtd": '<!DOCTYPE memo SYSTEM "http://127.0.0.1:1/evil.dtd"><memo>' + META % "x" + "</memo>",
    "xxe-oob-parameter": '<!DOCTYPE memo [<!ENTITY % a SYSTEM "file:///etc/passwd"><!ENTITY % b "<!ENTITY c SYSTEM \'http://127.0.0.1:1/?%a;\'>"> %b;]><memo>' + META % "&c;" + "</memo>",
    "xxe-in-attribute": '<!DOCTYPE memo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><memo><section kind="&xxe;"/></memo>',
    "xxe-internal-entity": '<!DOCTYPE memo [<!ENTITY x "text">]><memo>' + META % "&x;" + "</memo>",
    "xinclude-passwd": '<memo xmlns:xi="http://www.w3.org/2001/XInclude">' + META % '<xi:include href="file:///etc/passwd" parse="text"/>' + "</memo>",
    "xinclude-fallback": '<memo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"><xi:fallback>x</xi:fallback></xi:include></memo>',
    "xml-stylesheet-pi": '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="file:///etc/passwd"?>\n<memo><x/></memo>',
    "billion-laughs": '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10) for i in range(1, 10))
    + "]>\n<memo>" + META % "&lol9;" + "</memo>",
    "quadratic-blowup": '<!DOCTYPE memo [<!ENTITY a "{{repeat 20000|a|}}">]><memo>' + META % "{{repeat 2000|&a;|}}" + "</memo>",
    "deep-xml-20000": "<memo>{{repeat 20000|<p>|}}x{{repeat 20000|</p>|}}</memo>",
    "deep-xml-unclosed": "<memo>{{repeat 100000|<a>|}}",
    "not-well-formed": "<memo><meta><title>x</meta></memo>",
    "empty-memo": "",
    "not-xml": "'; DROP TABLE memo_versions; --",
    "nul-byte-in-xml": "<memo>" + META % "a\\x00b" + "</memo>",
    "invalid-utf8-in-xml": "<memo>" + META % "\\xc3\\x28\\xff" + "</memo>",
    "utf16-declared": '<?xml version="1.0" encoding="UTF-16"?><memo><x/></memo>',
    "ebcdic-declared": '<?xml version="1.0" encoding="EBCDIC-US"?><memo><x/></memo>',
    "cdata-doctype": "<memo><![CDATA[<!DOCTYPE x [<!ENTITY y SYSTEM 'file:///etc/passwd'>]>]]></memo>",
    "template-traversal": '<memo template="../../../../etc/passwd">' + META % "x" + "</memo>",
    "unknown-root": '<root xmlns="http://evil/">x</root>',
}
for name, body in xxe.items():
    block("01-xml.http", "memo-" + name, "4xx", *MEMO, XML, body, "handlaggare")
for name in ["xxe-file-entity", "xxe-parameter-entity", "billion-laughs", "xinclude-passwd"]:
    block("01-xml.http", "memo-as-unit-head-" + name, "4xx", *MEMO, XML, xxe[name], "enhetschef")

# ------------------------------------------------------------- JSON bodies
# Every JSON write route with a body that passes access; {} is filled per field.
ROUTES = {
    "session": ("POST", "/api/v1/session", None,
                {"username": "okand.person", "password": "x"}),
    "case": ("POST", "/api/v1/cases", "registrator",
             {"committee": "SOCN", "kind": "politikerinitiativ", "subject": "s", "received": "2020-08-25",
              "senders": [{"name": "n", "party": "S", "organisation": "o"}], "unit": "bfe", "officer": "nina",
              "secrecy": {"provision": "OSL 26:1", "fields": ["subject"]}}),
    "document": ("POST", "/api/v1/cases/999999/documents", "registrator",
                 {"direction": "inkommen", "date": "2020-08-25", "title": "t", "counterpart": "c",
                  "media_type": "text/plain", "content_base64": "eA==", "secrecy": {"provision": "p", "fields": []}}),
    "correction": ("POST", "/api/v1/cases/999999/corrections", "registrator",
                   {"reason": "r", "subject": "s", "received": "2020-08-25", "senders": [{"name": "n"}],
                    "unit": "bfe", "officer": "nina"}),
    "transition": ("POST", "/api/v1/cases/{case}/transitions", "registrator",
                   {"transition": "finns_inte", "comment": "c", "unit": "bfe", "officer": "nina"}),
    "migrate": ("POST", "/api/v1/cases/999999/migrate", "admin", {"reason": "r", "version": 1}),
    "meeting": ("POST", "/api/v1/meetings", "namndsekreterare",
                {"committee": "SOCN", "date": "2020-13-45", "time": "13:00", "place": "p", "chair": "ordf",
                 "adjusters": ["ordf"], "attendance": [{"name": "n", "role": "ledamot"}]}),
    "item": ("POST", "/api/v1/meetings/999999/items", "namndsekreterare", {"title": "t"}),
    "decision": ("POST", "/api/v1/meetings/{meeting}/items/1/decision", "namndsekreterare",
                 {"outcome": "bifall", "text": "t", "clauses": ["c"], "proposition": "p", "disqualified": ["d"],
                  "send_to": ["s"], "motions": [{"mover": "m", "text": "t"}],
                  "reservations": [{"name": "n", "reason": "r"}]}),
}


def paths(v, prefix=()):
    """Every string leaf of a JSON value, as a key path."""
    if isinstance(v, str):
        yield prefix
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, prefix + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, prefix + (i,))


def with_value(v, path, value):
    import copy
    v = copy.deepcopy(v)
    cur = v
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value
    return v


def dumps(v):
    import json
    return json.dumps(v, ensure_ascii=False)


# Invalid UTF-8: the marker is replaced after json.dumps by raw byte escapes.
BAD_UTF8 = ["\\xc3\\x28", "\\xc0\\xaf", "\\xed\\xa0\\x80", "\\xff\\xfe", "\\xf4\\x90\\x80\\x80", "\\xe2\\x82"]
n = 0
for route, (method, target, role, base) in ROUTES.items():
    headers = JSON + ([("If-Match", "{etag}")] if route == "transition" else [])
    for path in paths(base):
        field = ".".join(str(p) for p in path)
        bad = BAD_UTF8[n % len(BAD_UTF8)]
        n += 1
        body = dumps(with_value(base, path, "x@@BAD@@y")).replace("@@BAD@@", bad)
        block("02-utf8.http", "invalid-utf8-%s-%s" % (route, field), "4xx", method, target, headers, body, role)
for i, bad in enumerate(BAD_UTF8):
    body = dumps(ROUTES["case"][3]).replace('"subject": "s"', '"subject": "a%sb"' % bad)
    block("02-utf8.http", "invalid-utf8-case-subject-variant-%d" % i, "4xx", "POST", "/api/v1/cases", JSON, body,
          "registrator")

# SQL in every text field of the writes. The requests are refused for a reason
# that leaves the string in flight as far as it goes: an unknown case or
# meeting (999999), an unknown transition, a date that is not one.
SQL = ["' OR '1'='1", "'; DROP TABLE cases; --", "1 UNION SELECT username, password_hash FROM users --",
       '" OR ""="', "%' OR 'x' LIKE '%", "*) OR NEAR(a b) --"]
n = 0
for route, (method, target, role, base) in ROUTES.items():
    headers = JSON + ([("If-Match", "{etag}")] if route == "transition" else [])
    if route == "case":
        base = dict(base, received="inte-ett-datum")
    for path in paths(base):
        field = ".".join(str(p) for p in path)
        if route == "case" and field == "received":
            continue
        s = SQL[n % len(SQL)]
        n += 1
        block("03-sql.http", "sql-%s-%s" % (route, field), "4xx", method, target, headers,
              dumps(with_value(base, path, s)), role)

# SQL and search syntax in every query filter: free-text filters are just
# text (a 2xx, usually an empty list); filters with a known vocabulary
# (committee, kind, dnr, the enums overdue and outcome, dates) and numbers
# and cursors are refused.
FILTERS = {
    "/api/v1/cases": ("registrator", ["q", "state", "unit", "officer"],
                      ["committee", "kind", "dnr", "year", "limit", "cursor", "overdue", "from"]),
    "/api/v1/public/diarium": (None, ["q", "state", "unit", "officer"],
                               ["committee", "kind", "dnr", "year", "limit", "cursor"]),
    "/api/v1/decisions": ("ledamot", ["q", "committee"], ["dnr", "year", "limit", "outcome"]),
    "/api/v1/public/decisions": (None, ["q", "committee"], ["dnr", "year", "limit", "outcome"]),
    "/api/v1/meetings": ("ledamot", ["committee"], []),
}
for route, (role, text, refused) in FILTERS.items():
    many = route in ("/api/v1/cases", "/api/v1/public/diarium")
    for p in text:
        for i, s in enumerate(SQL if many else SQL[:3]):
            block("03-sql.http", "sql-filter-%s-%s-%d" % (route.replace("/api/v1/", ""), p, i), "2xx-harmless",
                  "GET", "%s?%s=%s" % (route, p, q(s)), (), "", role)
    for p in refused:
        for i, s in enumerate(SQL if many and p in ("committee", "kind", "dnr") else SQL[:3]):
            block("03-sql.http", "sql-refused-%s-%s-%d" % (route.replace("/api/v1/", ""), p, i), "4xx",
                  "GET", "%s?%s=%s" % (route, p, q(s)), (), "", role)
for i, s in enumerate(SQL[:3]):
    block("03-sql.http", "sql-session-username-%d" % i, "4xx", "POST", "/api/v1/session", JSON,
          dumps({"username": s, "password": s}), status=401)
    block("03-sql.http", "sql-bearer-token-%d" % i, "4xx", "GET", "/api/v1/cases",
          [("Authorization", "Bearer " + s)], status=401)
    block("03-sql.http", "sql-memo-format-%d" % i, "4xx", "GET", "/api/v1/cases/{case}/memo?format=" + q(s), (),
          "", "ledamot")

# ------------------------------------------------------------- paths and ids
TRAVERSAL = ["..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
             "..%252f..%252fetc%252fpasswd", "....%2f%2f....%2f%2fetc%2fpasswd", "%c0%ae%c0%ae%2fetc%2fpasswd",
             "..%5c..%5cetc%5cpasswd"]
ID_ROUTES = [("/api/v1/cases/%s", "ledamot"), ("/api/v1/cases/%s/memo", "ledamot"),
             ("/api/v1/cases/{case}/documents/%s/content", "ledamot"), ("/api/v1/workflows/%s", "ledamot"),
             ("/api/v1/meetings/%s/agenda", "ledamot"), ("/api/v1/decisions/%s", "ledamot"),
             ("/api/v1/public/diarium/%s", None), ("/api/v1/public/anslag/%s/protocol", None),
             ("/api/v1/public/decisions/%s", None)]
for i, (route, role) in enumerate(ID_ROUTES):
    for j, t in enumerate(TRAVERSAL if i < 3 else TRAVERSAL[:3]):
        block("04-paths.http", "traversal-%s-%d" % (route.replace("/api/v1/", "").replace("/%s", "").replace("/", "-"), j),
              "4xx", "GET", route % t, (), "", role)
for target in ["/api/v1/cases/../../../etc/passwd", "/../../../../etc/passwd", "/api/v1/public/../../etc/passwd",
               "/api/v1/public/diarium/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
               "/api/v1/cases/{case}/documents/..%2f..%2f..%2f..%2fetc%2fpasswd/content"]:
    block("04-paths.http", "traversal-raw " + target, "4xx", "GET", target, (), "", "ledamot")
for route in ["/api/v1/cases/{case}/memo", "/api/v1/meetings/{meeting}/agenda", "/api/v1/meetings/{meeting}/protocol",
              "/api/v1/public/anslag/{meeting}/protocol"]:
    block("04-paths.http", "traversal-format " + route, "4xx", "GET", route + "?format=..%2f..%2f..%2fetc%2fpasswd",
          (), "", "ledamot")
for ident in ["99999999999999999999", "9223372036854775807", "9223372036854775808", "999999999999999999", "-1",
              "0", "1e10", "0x10", "+1", "%201", "1.0"]:
    block("04-paths.http", "oversized-id-case " + ident, "4xx", "GET", "/api/v1/cases/" + ident, (), "", "ledamot")
for target in ["/api/v1/meetings/99999999999999999999", "/api/v1/decisions/9223372036854775808",
               "/api/v1/cases/{case}/documents/99999999999/content", "/api/v1/cases/{case}/documents/-1/content",
               "/api/v1/public/diarium/99999999999999999999", "/api/v1/workflows/politikerinitiativ?version=99999999999",
               "/api/v1/cases/{case}/memo?version=99999999999", "/api/v1/cases/{case}/memo?version=2147483648",
               "/api/v1/cases/{case}/memo?version=-1", "/api/v1/cases/{case}/memo/diff?from=1&to=99999999999",
               "/api/v1/cases?limit=99999999999999999999", "/api/v1/cases?limit=-1", "/api/v1/cases?limit=0",
               "/api/v1/cases?year=99999999999", "/api/v1/cases?year=-2020", "/api/v1/decisions?limit=99999999999",
               "/api/v1/decisions?year=99999999999", "/api/v1/decisions?year=2020abc", "/api/v1/decisions?limit=10x",
               "/api/v1/public/decisions?year=1%20UNION%20SELECT%201",
               "/api/v1/cases/{case}/documents/1abc/content", "/api/v1/cases/{case}/documents/1%20OR%201=1/content"]:
    block("04-paths.http", "oversized-number " + target, "4xx", "GET", target, (), "", "ledamot")
for etag in ['"99999999999999999999"', '"-1"', 'W/"0"', '"1e3"', '"1", "2"', "*", '"\\x00"']:
    block("04-paths.http", "oversized-if-match " + etag, "4xx", "POST", "/api/v1/cases/{case}/transitions",
          JSON + [("If-Match", etag)], '{"transition":"tilldela_enhet","unit":"bfe"}', "registrator")
block("04-paths.http", "stale-if-match 999999999999999999", "4xx", "POST", "/api/v1/cases/{case}/transitions",
      JSON + [("If-Match", '"999999999999999999"')], '{"transition":"tilldela_enhet","unit":"bfe"}', "registrator",
      status=412)
for body in ['{"reason":"r","version":99999999999999999999}', '{"reason":"r","version":1e308}',
             '{"reason":"r","version":-9223372036854775808}']:
    block("04-paths.http", "oversized-json-number migrate " + body, "4xx", "POST", "/api/v1/cases/{case}/migrate", JSON,
          body, "admin")
for body in ['{"case":99999999999999999999}', '{"case":9223372036854775807}', '{"case":-9223372036854775808}',
             '{"case":1e400}']:
    block("04-paths.http", "oversized-json-number item " + body, "4xx", "POST", "/api/v1/meetings/{meeting}/items", JSON,
          body, "namndsekreterare")
for body in ['{"outcome":"bifall","votes":{"yes":99999999999,"no":1}}',
             '{"outcome":"bifall","votes":{"yes":2147483647,"no":2147483647,"abstain":2147483647}}']:
    block("04-paths.http", "oversized-votes " + body, "4xx", "POST", "/api/v1/meetings/{meeting}/items/1/decision",
          JSON, body, "namndsekreterare")
block("04-paths.http", "oversized-item-number", "4xx", "POST", "/api/v1/meetings/{meeting}/items/99999999999/decision",
      JSON, '{"outcome":"bifall"}', "namndsekreterare")

# NUL bytes.
block("05-nul.http", "nul-in-path", "4xx", "GET", "/api/v1/cases/{case}%00", (), "", "ledamot")
block("05-nul.http", "nul-in-path-prefix", "4xx", "GET", "/api/v1/cases/%001", (), "", "ledamot")
block("05-nul.http", "nul-in-q", "4xx", "GET", "/api/v1/cases?q=a%00b", (), "", "ledamot")
block("05-nul.http", "nul-in-committee", "4xx", "GET", "/api/v1/public/diarium?committee=SOCN%00", (), "")
block("05-nul.http", "nul-in-username", "4xx", "POST", "/api/v1/session", JSON,
      '{"username":"rita\\u0000","password":"ett-långt-lösenord-rita"}', status=401)
block("05-nul.http", "nul-in-password", "4xx", "POST", "/api/v1/session", JSON,
      '{"username":"okand.person","password":"ett-långt-lösenord\\u0000"}', status=401)
block("05-nul.http", "raw-nul-in-json", "4xx", "POST", "/api/v1/session", JSON, '{"username":"a\\x00","password":"b"}')
block("05-nul.http", "nul-in-subject", "4xx", "POST", "/api/v1/cases", JSON,
      '{"committee":"XX","kind":"politikerinitiativ","subject":"a\\u0000b","received":"2020-08-25","senders":[{"name":"n"}]}',
      "registrator")
block("05-nul.http", "nul-in-committee-write", "4xx", "POST", "/api/v1/cases", JSON,
      '{"committee":"SOCN\\u0000","kind":"politikerinitiativ","subject":"s","received":"2020-08-25","senders":[{"name":"n"}]}',
      "registrator")
block("05-nul.http", "nul-in-transition", "4xx", "POST", "/api/v1/cases/{case}/transitions",
      JSON + [("If-Match", "{etag}")], '{"transition":"tilldela_enhet\\u0000","unit":"bfe"}', "registrator")
# A NUL in any header is refused by the head parser before sign-in (400).
block("05-nul.http", "nul-in-bearer", "4xx", "GET", "/api/v1/cases", [("Authorization", "Bearer abc\\x00def")],
      status=400)
block("05-nul.http", "nul-in-memo-format", "4xx", "GET", "/api/v1/cases/{case}/memo?format=txt%00", (), "", "ledamot")

# ------------------------------------------------------------- HTTP itself
for target, role, hdrs in [("/api/v1/session", None, JSON), ("/api/v1/cases", "registrator", JSON),
                           ("/api/v1/cases/{case}/memo", "handlaggare", XML),
                           ("/api/v1/meetings", "namndsekreterare", JSON)]:
    method = "PUT" if target.endswith("/memo") else "POST"
    for length in ["2000000", "1048577", "9223372036854775807"]:
        block("06-http.http", "declared-length %s %s" % (length, target), "4xx", method, target,
              hdrs + [("Content-Length", length)], "{}", role, status=413)
# A Content-Length that is not one number is refused by the server's own
# parser (api/wire.cpp) with a problem, and the connection is closed.
for length in ["99999999999999999999", "abc", "1, 2"]:
    block("06-http.http", "bad-content-length " + length, "4xx", "POST", "/api/v1/session",
          JSON + [("Content-Length", length)], "{}", status=400)
block("06-http.http", "negative-content-length", "4xx", "POST", "/api/v1/session",
      JSON + [("Content-Length", "-5")], "{}")
block("06-http.http", "huge-json-string-under-limit", "4xx", "POST", "/api/v1/cases", JSON,
      '{"committee":"SOCN","kind":"politikerinitiativ","subject":"{{repeat 900000|A|}}","received":"2020-08-25","senders":[{"name":"n"}]}',
      "registrator")
block("06-http.http", "many-senders", "4xx", "POST", "/api/v1/cases", JSON,
      '{"committee":"XX","kind":"k","subject":"s","received":"2020-08-25","senders":[{{repeat 20000|{"name":"n"},|}}{"name":"n"}]}',
      "registrator")
block("06-http.http", "bad-chunk-size", "4xx", "POST", "/api/v1/session",
      JSON + [("Transfer-Encoding", "chunked")], "zzz\\x0d\\x0a{}\\x0d\\x0a0\\x0d\\x0a")
# Deep nesting.
deep = [("session", "/api/v1/session", None, '{"username":{{repeat 100000|[|}}'),
        ("session-objects", "/api/v1/session", None, '{{repeat 50000|{"a":|}}1{{repeat 50000|}|}}'),
        ("case-33", "/api/v1/cases", "registrator", '{{repeat 33|{"a":|}}1{{repeat 33|}|}}'),
        ("case-senders", "/api/v1/cases", "registrator", '{"senders":{{repeat 10000|[|}}{{repeat 10000|]|}}}'),
        ("meeting", "/api/v1/meetings", "namndsekreterare", '{"attendance":[{{repeat 40|{"name":|}}"x"{{repeat 40|}|}}]}'),
        ("decision-votes", "/api/v1/meetings/{meeting}/items/1/decision", "namndsekreterare",
         '{"outcome":"bifall","votes":{{repeat 5000|{"yes":|}}1{{repeat 5000|}|}}}'),
        ("top-level-array", "/api/v1/cases", "registrator", "[{{repeat 30|[|}}]"),
        ("top-level-string", "/api/v1/session", None, '"{{repeat 1000|a|}}"')]
for name, target, role, body in deep:
    block("06-http.http", "deep-json-" + name, "4xx", "POST", target, JSON, body, role)
# Content types.
CASE = '{"committee":"XX","kind":"politikerinitiativ","subject":"s","received":"2020-08-25","senders":[{"name":"n"}]}'
for ct in ["text/plain", "application/xml", "multipart/form-data; boundary=x", "text/html", "image/png",
           "application/octet-stream", "{{repeat 5000|x|}}"]:
    block("06-http.http", "content-type case " + ct[:40], "4xx", "POST", "/api/v1/cases", [("Content-Type", ct)], CASE,
          "registrator")
for ct in ["application/json", "text/plain", "multipart/form-data; boundary=x"]:
    block("06-http.http", "content-type memo " + ct, "4xx", "PUT", "/api/v1/cases/{case}/memo",
          [("Content-Type", ct)], '{"memo":"x"}', "handlaggare")
block("06-http.http", "content-type session form", "4xx", "POST", "/api/v1/session",
      [("Content-Type", "application/x-www-form-urlencoded")], "username=rita&password=x")
block("06-http.http", "content-type json but xml", "4xx", "POST", "/api/v1/session", JSON,
      "<session><username>rita</username></session>")
# Unknown and odd methods.
for method, target in [("FOO", "/health"), ("PROPFIND", "/api/v1/cases"), ("TRACE", "/api/v1/cases"),
                       ("OPTIONS", "/api/v1/cases"), ("PATCH", "/api/v1/cases/{case}"),
                       ("DELETE", "/api/v1/cases/{case}"), ("get", "/health"), ("PUT", "/api/v1/session"),
                       ("DELETE", "/api/v1/public/diarium"), ("POST", "/api/v1/public/anslag"),
                       ("HEAD", "/api/v1/cases/{case}/transitions/x")]:
    block("06-http.http", "method %s %s" % (method, target), "4xx", method, target, (), "", "registrator",
          status=404 if target.endswith("/x") else 405)
# HEAD is GET without the body (RFC 9110 9.3.2): answered wherever GET is.
block("06-http.http", "method HEAD /api/v1/cases", "2xx-harmless", "HEAD", "/api/v1/cases", (), "", "registrator")
block("06-http.http", "method FOO unknown path", "4xx", "FOO", "/nowhere", (), "", status=404)
# CRLF and smuggled headers.
for name, target in [("crlf-in-path", "/api/v1/cases/%0d%0aSet-Cookie:%20evil=1"),
                     ("crlf-in-unknown-path", "/x%0d%0aX-Injected:%20yes"),
                     ("crlf-in-memo-format", "/api/v1/cases/{case}/memo?format=txt%0d%0aX-Injected:%20yes")]:
    block("07-crlf.http", name, "4xx", "GET", target, (), "", "ledamot")
block("07-crlf.http", "crlf-in-query-text", "2xx-harmless", "GET",
      "/api/v1/public/diarium?q=a%0d%0aSet-Cookie:%20evil=1", (), "")
block("07-crlf.http", "crlf-in-if-match", "4xx", "POST", "/api/v1/cases/{case}/transitions",
      JSON + [("If-Match", '"1"\\x0d\\x0aX-Injected: yes')], '{"transition":"finns_inte"}', "registrator")
block("07-crlf.http", "crlf-in-if-none-match", "2xx-harmless", "GET", "/api/v1/cases/{case}",
      [("If-None-Match", '"1"\\x0d\\x0aX-Injected: yes')], "", "ledamot")
block("07-crlf.http", "crlf-in-json-string", "4xx", "POST", "/api/v1/session", JSON,
      '{"username":"rita\\r\\nSet-Cookie: evil=1","password":"x"}', status=401)
block("07-crlf.http", "encoded-crlf-in-bearer", "4xx", "GET", "/api/v1/cases",
      [("Authorization", "Bearer abc%0d%0aX-Injected: yes")], status=401)
block("07-crlf.http", "long-bearer", "4xx", "GET", "/api/v1/cases",
      [("Authorization", "Bearer {{repeat 5000|A|}}")], status=401)
block("07-crlf.http", "basic-auth", "4xx", "GET", "/api/v1/cases", [("Authorization", "Basic cml0YTp4")], status=401)
block("07-crlf.http", "empty-bearer", "4xx", "GET", "/api/v1/cases", [("Authorization", "Bearer ")], status=401)
block("07-crlf.http", "bearer-invalid-utf8", "4xx", "GET", "/api/v1/cases", [("Authorization", "Bearer \\xff\\xfe")],
      status=401)
block("07-crlf.http", "bad-bearer-on-public-route", "2xx-harmless", "GET", "/api/v1/public/diarium",
      [("Authorization", "Bearer ' OR 1=1 --")])
block("07-crlf.http", "invalid-utf8-in-path", "4xx", "GET", "/api/v1/nowhere/%ff%fe%c0%af", (), "", status=404)
block("07-crlf.http", "invalid-utf8-in-q", "4xx", "GET", "/api/v1/public/diarium?q=%ff%fe", (), "")
block("07-crlf.http", "invalid-utf8-in-committee", "4xx", "GET", "/api/v1/cases?committee=%c0%af", (), "",
      "ledamot")
# ":" is no token character: the header line itself is malformed (400).
block("07-crlf.http", "spoofed-route-header", "4xx", "GET", "/api/v1/cases", [(":route", "/health")], status=400)
block("07-crlf.http", "spoofed-forwarded-user", "4xx", "GET", "/api/v1/cases",
      [("X-Forwarded-User", "admin"), ("X-User", "admin")], status=401)

# ------------------------------------------------- smuggling and framing (#14 item 6)
# RFC 9112 6.3: Content-Length beside Transfer-Encoding is refused with 400
# and the connection closed; what follows is never read as a second request.
SMUGGLED = "0\\x0d\\x0a\\x0d\\x0aGET /api/v1/users HTTP/1.1\\x0d\\x0aHost: x\\x0d\\x0aX-Injected: yes\\x0d\\x0a\\x0d\\x0a"
block("08-framing.http", "cl-and-te", "4xx", "POST", "/api/v1/session",
      JSON + [("Content-Length", "4"), ("Transfer-Encoding", "chunked")], SMUGGLED, status=400)
block("08-framing.http", "te-and-cl", "4xx", "POST", "/api/v1/session",
      JSON + [("Transfer-Encoding", "chunked"), ("Content-Length", "60")], SMUGGLED, status=400)
block("08-framing.http", "cl-and-te-case-mixed", "4xx", "POST", "/api/v1/session",
      JSON + [("content-length", "4"), ("TRANSFER-ENCODING", "Chunked")], SMUGGLED, status=400)
for te in ["gzip", "chunked, identity", "identity", "chunked\\x0bx"]:
    block("08-framing.http", "transfer-encoding " + te, "4xx", "POST", "/api/v1/session",
          JSON + [("Transfer-Encoding", te)], SMUGGLED, status=400)
block("08-framing.http", "two-content-lengths-same", "4xx", "POST", "/api/v1/session",
      JSON + [("Content-Length", "2"), ("Content-Length", "2")], "{}", status=400)
block("08-framing.http", "two-content-lengths-differ", "4xx", "POST", "/api/v1/session",
      JSON + [("Content-Length", "2"), ("Content-Length", "40")], "{}", status=400)
block("08-framing.http", "chunk-longer-than-its-size", "4xx", "POST", "/api/v1/session",
      JSON + [("Transfer-Encoding", "chunked")], "2\\x0d\\x0a{}}}\\x0d\\x0a0\\x0d\\x0a\\x0d\\x0a", status=400)
block("08-framing.http", "chunk-size-overflow", "4xx", "POST", "/api/v1/session",
      JSON + [("Transfer-Encoding", "chunked")], "ffffffffffffffffff\\x0d\\x0a{}\\x0d\\x0a0\\x0d\\x0a\\x0d\\x0a",
      status=400)
# Obsolete line folding (RFC 9112 5.2): a header line that starts with a
# space or tab continues the previous one in old parsers; refused.
block("08-framing.http", "obs-fold", "4xx", "GET", "/api/v1/public/anslag",
      [("X-Note", "a\\x0d\\x0a folded")], status=400)
block("08-framing.http", "obs-fold-tab", "4xx", "GET", "/api/v1/public/anslag",
      [("X-Note", "a\\x0d\\x0a\\tfolded")], status=400)
block("08-framing.http", "obs-fold-authorization", "4xx", "GET", "/api/v1/cases",
      [("Authorization", "Bearer\\x0d\\x0a abc")], status=400)
block("08-framing.http", "space-before-colon", "4xx", "GET", "/api/v1/cases",
      [("Authorization ", "Bearer abc")], status=400)
block("08-framing.http", "bare-lf-in-header", "4xx", "GET", "/api/v1/public/anslag",
      [("X-Note", "a\\x0aX-Injected: yes")], status=400)
block("08-framing.http", "bare-cr-in-header", "4xx", "GET", "/api/v1/public/anslag",
      [("X-Note", "a\\x0dX-Injected: yes")], status=400)
block("08-framing.http", "nul-in-header", "4xx", "GET", "/api/v1/public/anslag",
      [("X-Note", "a\\x00b")], status=400)
# Headers that may come once: two differing ones read differently by a proxy
# and by us are the door to acting as someone else.
for name, value in [("Authorization", "Bearer second-token"), ("Host", "evil.example"),
                    ("Content-Type", "text/plain"), ("Cookie", "kansli_session=other"),
                    ("X-CSRF-Token", "other")]:
    first = "Bearer first-token" if name == "Authorization" else {"Host": "127.0.0.1", "Content-Type": "application/json",
        "Cookie": "kansli_session=first", "X-CSRF-Token": "first"}[name]
    hdrs = [(name, first), (name, value)]
    if name != "Content-Type":
        hdrs = JSON + hdrs
    block("08-framing.http", "duplicate " + name, "4xx", "POST", "/api/v1/session", hdrs,
          '{"username":"x","password":"y"}', status=400)
block("08-framing.http", "extra-space-in-request-line", "4xx", "GET", " /health", status=400)
block("08-framing.http", "absolute-form-target", "2xx-harmless", "GET", "http://127.0.0.1/api/v1/public/anslag")

# ------------------------------------------ CR/LF in every stored string (#14 item 5)
# Accepted as text ("stored"), then read back on every route that shows it
# (hostile_test.cpp): never a header, never a second answer.
INJ = "a\\r\\nX-Injected: yes\\r\\nSet-Cookie: evil=1\\r\\n\\r\\n<script>alert(1)</script>injected"
INJQ = q("a\r\nX-Injected: yes\r\nSet-Cookie: evil=1\r\n\r\n<script>alert(1)</script>injected")
block("09-stored.http", "crlf-stored-case-fields", "stored", "POST", "/api/v1/cases", JSON,
      '{"committee":"SOCN","kind":"politikerinitiativ","subject":"%s","received":"2020-08-25",'
      '"senders":[{"name":"%s","party":"%s","organisation":"%s"}]}' % (INJ, INJ, "S", INJ), "registrator")
block("09-stored.http", "crlf-stored-document-json", "stored", "POST", "/api/v1/cases/{case}/documents", JSON,
      '{"direction":"inkommen","date":"2020-08-26","title":"%s","counterpart":"%s","media_type":"text/plain",'
      '"content_base64":"aGVqDQpYLUluamVjdGVkOiB5ZXMNCg=="}' % (INJ, INJ), "registrator")
block("09-stored.http", "crlf-stored-document-raw", "stored", "POST",
      "/api/v1/cases/{case}/documents?direction=inkommen&date=2020-08-26&title=%s&counterpart=%s" % (INJQ, INJQ),
      [("Content-Type", "text/html; charset=utf-8")], "<script>alert(1)</script>\\x0d\\x0aX-Injected: yes", "registrator")
block("09-stored.http", "crlf-stored-document-raw-svg", "stored", "POST",
      "/api/v1/cases/{case}/documents?direction=inkommen&date=2020-08-26&title=svg",
      [("Content-Type", "image/svg+xml")], "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "registrator")
block("09-stored.http", "crlf-stored-correction", "stored", "POST", "/api/v1/cases/{case}/corrections", JSON,
      '{"reason":"%s","subject":"%s"}' % (INJ, INJ), "registrator")
with open(os.path.join(HERE, "..", "..", "samples", "nacka", "memo-SOCN-2020-262.xml"), encoding="utf-8") as f:
    MEMO_XML = f.read().strip()
block("09-stored.http", "crlf-stored-memo-text", "stored", "PUT", "/api/v1/cases/{case}/memo", XML,
      MEMO_XML.replace("<p>", "<p>a\\x0d\\x0aX-Injected: yes\\x0d\\x0a\\x0d\\x0a&lt;script&gt;injected ", 1),
      "handlaggare")
block("09-stored.http", "crlf-stored-meeting", "stored", "POST", "/api/v1/meetings", JSON,
      '{"committee":"SOCN","date":"2020-11-20","place":"%s","attendance":[{"name":"%s","role":"%s"}]}' % (INJ, INJ, INJ),
      "namndsekreterare")
block("09-stored.http", "crlf-stored-agenda-title", "stored", "POST", "/api/v1/meetings/{meeting}/items", JSON,
      '{"title":"%s"}' % INJ, "namndsekreterare")
# A user's name is refused with control characters in it (#15).
block("07-crlf.http", "crlf-in-user-name", "4xx", "POST", "/api/v1/users", JSON,
      '{"username":"crlf-user","name":"%s","role":"ledamot","committee":"SOCN","password":"ett-långt-lösenord-crlf"}' % INJ,
      "admin", status=400)
block("07-crlf.http", "crlf-in-document-media-type", "4xx", "POST", "/api/v1/cases/{case}/documents", JSON,
      '{"direction":"inkommen","date":"2020-08-26","title":"t","media_type":"text/html\\r\\nX-Injected: yes"}',
      "registrator", status=400)
block("07-crlf.http", "media-type-not-rfc6838", "4xx", "POST", "/api/v1/cases/{case}/documents", JSON,
      '{"direction":"inkommen","date":"2020-08-26","title":"t","media_type":"text/html<script>"}',
      "registrator", status=400)

# ------------------------------------------------------- slow connections (#14 item 7)
# 200 connections that send their request a byte a second for 30 s (each is
# cut off at the head deadline and opens again); /health must keep answering.
block("10-slow.http", "slowloris-200x30s", "slow", "GET", "/api/v1/public/anslag",
      [("X-Padding", "{{repeat 200|a|}}")])

for name, blocks in files.items():
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write("# Generated by make_corpus.py; see README.md for the format.\n\n")
        f.write("\n".join(blocks))
print(sum(len(b) for b in files.values()), "requests in", len(files), "files")
