"""`corpus explore` as a user runs it: a read-only Datasette on 127.0.0.1 only, the release's pages behind its
front page, the file built once and reused, and every mistake one line with exit status 2."""

from __future__ import annotations

import re
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from corpus.errors import UsageError
from corpus.explore.serve import listening_socket
from tests.explore.conftest import WORD, Explored, explore_command, running
from tests.test_cli import _corpus, _mistake


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8", errors="replace")


def _listening_addresses(port: int) -> set[str]:
    """Local addresses in LISTEN state on the port, from the kernel's table (IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_it_listens_on_the_loopback_address_only(explorer: str):
    port = int(explorer.rsplit(":", 1)[1].strip("/"))
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and no 0.0.0.0 or :: beside it


def test_the_front_page_reaches_plots_datasheet_and_data_docs(explorer: str, explored: Explored):
    page = _get(explorer)
    links = set(re.findall(r'(?:href|src)="(/[^"]+)"', page))
    plots = {f"/release/plots/{path.name}" for path in (explored.release / "plots").glob("*.png")}
    assert plots and plots <= links
    assert {"/-/datasheet", "/release/validation/rows/index.html", "/release/validation/release/index.html"} <= links
    for link in [*sorted(plots), "/-/datasheet", "/release/validation/rows/index.html"]:
        _get(explorer.rstrip("/") + link)
    assert "Datasheet" in _get(explorer + "-/datasheet")


def test_a_korean_search_lists_the_article_with_facets(explorer: str):
    page = _get(explorer + "corpus/articles?_q=" + urllib.parse.quote(WORD))
    assert "1 row" in page and "/-/article/" in page
    for facet in ("publisher", "section", "split", "month", "is_truncated"):
        assert f'data-column="{facet}"' in page


def test_the_ledger_lists_what_was_not_published_with_links_to_raw_text(explorer: str):
    page = _get(explorer + "corpus/ledger?fate_group__not=kept")
    assert "duplicate_of:" in page and "dropped:sidebar_teaser" in page and "/-/segment/" in page
    for facet in ("fate_group", "reason", "source_path"):
        assert f'data-column="{facet}"' in page
    segment = re.search(r'href="/-/segment/([0-9a-f]+)">duplicate_of:', page)
    assert segment, "a duplicate's segment links to its page"
    duplicate = _get(explorer + f"-/segment/{segment[1]}")
    assert 'id="cluster"' in duplicate and ">kept<" in duplicate and 'id="raw-text"' in duplicate


def test_nothing_can_be_written(explorer: str):
    with pytest.raises(urllib.error.HTTPError):
        _get(explorer + "corpus?sql=" + urllib.parse.quote("DELETE FROM articles"))


def test_a_second_start_reuses_the_file(explored: Explored, tmp_path: Path):
    command = [*explore_command(explored)[:-2], "--cache", str(tmp_path)]
    with running(command) as (_, said):
        assert said[0].startswith("built ")
    with running(command) as (_, said):
        assert said[0].startswith("reusing ")
    assert len(list(tmp_path.glob("*/corpus.db"))) == 1


def test_a_port_in_use_is_one_line_and_status_2(explored: Explored):
    taken = listening_socket(0)
    try:
        port = taken.getsockname()[1]
        result = subprocess.run([*explore_command(explored), "--port", str(port)], capture_output=True, text=True)
        _mistake(result, f"port {port} on 127.0.0.1 is in use")
    finally:
        taken.close()


@pytest.mark.parametrize(("arguments", "message"), [
    (["nowhere"], "release folder nowhere does not exist"),
    ([".", "--port", "70000"], "is not a TCP port"),
])
def test_mistakes_are_one_line_and_status_2(tmp_path: Path, arguments: list[str], message: str):
    (tmp_path / "empty").mkdir()
    _mistake(_corpus("explore", *arguments, cwd=tmp_path), message)


def test_a_folder_that_is_not_a_release_is_one_line_and_status_2(tmp_path: Path):
    _mistake(_corpus("explore", str(tmp_path), cwd=tmp_path), "is not a release folder")


def test_a_missing_raw_folder_is_one_line_and_status_2(explored: Explored, tmp_path: Path):
    _mistake(_corpus("explore", str(explored.release), "--raw", "nowhere", cwd=tmp_path), "raw folder nowhere")


def test_the_socket_is_bound_to_loopback_and_a_bad_port_refused():
    sock = listening_socket(0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1" and sock.family == socket.AF_INET
    finally:
        sock.close()
    with pytest.raises(UsageError, match="not a TCP port"):
        listening_socket(-1)
