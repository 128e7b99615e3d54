import pytest

from corpus.params import CleanParams, load_stage_params, params_sha256


def test_repo_params_load_for_every_stage(tmp_path):
    from tests.conftest import PARAMS

    for stage in ("ingest", "clean", "validate", "dedup", "split", "publish"):
        load_stage_params(stage, PARAMS)


def test_unknown_key_is_an_error_naming_the_known_keys(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("clean:\n  stepz: [normalize_v1]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['stepz'\]; known: .*'steps'"):
        load_stage_params("clean", path)


def test_params_hash_changes_with_the_steps():
    assert params_sha256(CleanParams()) != params_sha256(CleanParams(steps=("normalize_v1",)))
