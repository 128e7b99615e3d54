import shutil

from corpus import pipeline
from corpus.plumbing.executors.warm import prestarted_helper
from corpus.stages import STAGE_ORDER
from tests.conftest import PARAMS, SEED_FILES, seed_path


def test_the_documents_helper_starts_with_validate_while_gx_s_works_from_the_start(tmp_path, monkeypatch):
    """Ingest and clean keep both cores busy beside GX's import; the card and plot libraries load from validate
    on, which leaves a core free (measured at 20k articles: the run 0.5 s sooner, a 200-article one unchanged)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("snippets"), raw / SEED_FILES["snippets"])
    helpers = {}
    run_stage = pipeline.run_stage

    def watched(name, *args, **kwargs):
        helpers[name] = (prestarted_helper("corpus.validation") is not None,
                         prestarted_helper("corpus.release.documents") is not None)
        return run_stage(name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "run_stage", watched)
    pipeline.run_all(raw, tmp_path / "release", PARAMS)
    later = STAGE_ORDER.index(pipeline.DOCUMENTS_FROM)
    assert list(helpers) == list(STAGE_ORDER)
    assert all(gx for gx, _ in helpers.values())
    assert [documents for _, documents in helpers.values()] == [False] * later + [True] * (len(STAGE_ORDER) - later)
    assert prestarted_helper("corpus.release.documents") is None  # ended with the run
