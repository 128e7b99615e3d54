"""Deferred imports, each case in a fresh interpreter (sys.modules is process-wide)."""

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_deferred_module_is_imported_on_first_attribute_read():
    out = run_python("""
        import sys
        from corpus.plumbing.deferred import defer, is_deferred
        defer("colorsys", "json.tool", "no_such_module_anywhere")
        import colorsys
        print(is_deferred("colorsys"), is_deferred("json.tool"), "no_such_module_anywhere" in sys.modules)
        print(colorsys.rgb_to_hsv(1.0, 0.0, 0.0), is_deferred("colorsys"), sys.modules["colorsys"] is not colorsys)
        print(colorsys.hsv_to_rgb(0.0, 1.0, 1.0))  # the stand-in now holds the real module's names
        from json import tool
        print(callable(tool.main), is_deferred("json.tool"))
    """)
    assert out.splitlines() == [
        "True True False",
        "(0.0, 1.0, 1.0) False True",
        "(1.0, 0.0, 0.0)",
        "True False",
    ]


def test_an_imported_module_is_left_alone():
    out = run_python("""
        import colorsys
        from corpus.plumbing.deferred import defer, is_deferred
        defer("colorsys")
        print(is_deferred("colorsys"))
    """)
    assert out == "False"


def test_gx_validates_without_the_modules_it_defers_and_they_still_work_after():
    out = run_python("""
        from corpus.validation import GxProject  # first: it defers before GX is imported
        import great_expectations as gx
        import pandas as pd
        from corpus.plumbing.deferred import is_deferred
        suite = gx.ExpectationSuite(name="s", expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(column="x"),
            gx.expectations.ExpectColumnValueLengthsToBeBetween(column="x", min_value=2)])
        with GxProject() as project:
            report = project.validate(pd.DataFrame({"x": ["ab", None, "c"]}), suite, "run")
            project.write_docs(__import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "docs")
        print(sorted(report.failed_rows), is_deferred("altair"), is_deferred("scipy.stats"))
        from scipy import stats
        print(round(float(stats.entropy([0.5, 0.5], [0.9, 0.1])), 4), is_deferred("scipy.stats"))
    """)
    assert out.splitlines() == ["[1, 2] True True", "0.5108 False"]


def test_arrow_converts_lists_without_importing_pandas_and_pandas_objects_once_pandas_is_imported():
    out = run_python("""
        import sys
        import pyarrow as pa
        from corpus.plumbing.deferred import arrow_without_pandas
        arrow_without_pandas()
        pa.array(["가", None]); pa.table({"n": [1, 2]}); pa.RecordBatch.from_pylist([{"n": 1}])
        arrow_without_pandas()  # again, as each stage run in one process does: still one watch
        print("pandas" in sys.modules, sum(type(f).__name__ == "_PandasWatch" for f in sys.meta_path))
        import pandas as pd
        print(pa.array(pd.Series([1, None], dtype="Int64")).to_pylist(),
              pa.array(pd.Series(["x"], dtype="category")).type)
        print(pa.table(pd.DataFrame({"n": [1]})).column_names, pa.table({"n": [1]}).to_pandas().shape)
        print(type(pd.__loader__).__name__, any(type(f).__name__ == "_PandasWatch" for f in sys.meta_path))
    """)
    assert out.splitlines() == [
        "False 1",
        "[1, None] dictionary<values=large_string, indices=int8, ordered=0>",
        "['n'] (1, 1)",
        "SourceFileLoader False",
    ]


def test_arrow_without_pandas_leaves_an_imported_pandas_alone():
    out = run_python("""
        import sys
        import pandas as pd
        import pyarrow as pa
        from corpus.plumbing.deferred import arrow_without_pandas
        arrow_without_pandas()
        watching = [f for f in sys.meta_path if type(f).__name__ == "_PandasWatch"]
        print(len(watching), pa.array(pd.Series([1, None], dtype="Int64")).to_pylist())
    """)
    assert out == "0 [1, None]"


def test_stages_that_do_not_use_pandas_do_not_import_it(tmp_path):
    out = run_python(f"""
        import sys
        from pathlib import Path
        from corpus.pipeline import run_stage
        from corpus.stages import StagePaths
        paths = StagePaths(Path("seeds"), Path({str(tmp_path)!r}), Path({str(tmp_path / "release")!r}))
        for stage in ("ingest", "clean"):
            run_stage(stage, paths, Path("params.yaml"))
            print(stage, "pandas" in sys.modules)
    """)
    assert out.splitlines()[-2:] == ["ingest False", "clean False"]


def test_publish_starts_without_the_card_and_plot_libraries():
    """Publish's GX helper starts when publish's main runs: `datasets` and matplotlib (~1 s) load when the
    card and plots are written, not before."""
    out = run_python("""
        import sys
        import corpus.stages.publish
        print(sorted(name for name in ("datasets", "matplotlib", "mlcroissant", "great_expectations")
                     if name in sys.modules))
    """)
    assert out == "[]"
