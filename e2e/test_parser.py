"""The cookie parser, case by case: what each engine makes of raw Set-Cookie octets (the corpus and its runner:
e2e/harness/spec/corpus.py). All cases run in one page; the whole jar is then checked for a cookie that escaped
its directory.
"""

import secrets

import pytest

from e2e.harness.network.hosts import SECURE_ORIGIN
from e2e.harness.runner import lab_url
from e2e.harness.spec import rfc6265bis
from e2e.harness.spec.corpus import ROWS, RUN_CORPUS, corpus_urls


@pytest.fixture(scope="module")
def observed(module_lab, test_network):
    """Every case run in one page: row id -> the three observations, plus cookies that escaped their directory."""
    tokens = {r.id: secrets.token_hex(8) for r in ROWS}
    cases = [dict(zip(("set", "read"), corpus_urls(r, tokens[r.id]), strict=True)) for r in ROWS]
    module_lab.go(lab_url(SECURE_ORIGIN, "script", "/pc"))
    scripts = module_lab.evaluate(RUN_CORPUS, cases)
    result = {}
    for r, script in zip(ROWS, scripts, strict=True):
        records = test_network.log(tokens[r.id])
        record = records[0] if records else {"cookie_header": "<no request>", "cookies": {}}
        result[r.id] = {
            "header": record["cookie_header"],
            "document.cookie": script,
            "request.COOKIES": record["cookies"],
        }
    # A cookie whose path also covers another case's directory would be seen there too.
    escaped = [c for c in module_lab.stored() if rfc6265bis.path_match("/pc/another-case/echo", c["path"])]
    return result, escaped


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_parser_case(observed, check, row):
    """The Cookie header, document.cookie and request.COOKIES for one case's Set-Cookie octets."""
    check(row, observed[0][row.id])


def test_parser_corpus_cookies_stay_in_their_directories(observed):
    """No case's cookie escaped its own directory, so no case saw another's cookies."""
    assert observed[1] == []
