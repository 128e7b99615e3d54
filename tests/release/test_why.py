import subprocess
import sys

from corpus.release.why import explain
from tests.conftest import SEED_FILES


def test_a_published_article_says_its_split_and_id(seed_release):
    [answer] = explain(seed_release, f"{SEED_FILES['page_newsk21']}:20")
    assert "“광주시, 벤처기업협회와 손잡고 인공지능 실증도시 조성에 박차”" in answer
    assert "lines 2–41" in answer
    assert "→ published in the" in answer and "split as id " in answer
    assert "byline_v2 removed" in answer


def test_a_teaser_says_why_it_was_dropped(seed_release):
    [answer] = explain(seed_release, f"{SEED_FILES['page_newsk21']}:50")
    assert "→ dropped (sidebar teaser): a cut preview of another article" in answer


def test_ids_and_whole_files_are_accepted(seed_release):
    answers = explain(seed_release, SEED_FILES["snippets"])
    assert len(answers) == 4
    article_id = answers[0].split("split as id ")[1].strip()
    [by_id] = explain(seed_release, article_id)
    assert by_id == answers[0]


def test_unknown_queries_find_nothing(seed_release):
    assert explain(seed_release, "no-such-file.txt") == []


def test_the_cli_answers_without_pyarrow_dataset_or_pandas(seed_release):
    """The two imports took ~0.45 s of the ~0.5 s `corpus why` is allowed; the ledger is read with pyarrow.parquet."""
    probe = ("import atexit, runpy, sys\n"  # the command exits the process: what it imported is said on the way
             "atexit.register(lambda: print(sorted({'pyarrow.dataset', 'pandas'} & set(sys.modules))))\n"
             f"sys.argv = ['corpus', 'why', '--release', {str(seed_release)!r}, {SEED_FILES['snippets']!r}]\n"
             "runpy.run_module('corpus', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.count("→ published in the") == 4
    assert done.stdout.splitlines()[-1] == "[]"
