"""The same synthetic articles through this pipeline and through datatrove with FineWeb-2's Korean settings.

    .venv/bin/pip install -e .[bench]
    .venv/bin/python benchmarks/datatrove_compare.py --articles 5000
    .venv/bin/python benchmarks/datatrove_compare.py --articles 100000 --datatrove-sample 5000

With --datatrove-sample N, datatrove runs on the first N of the same articles only (at ~57 ms an article
on this machine, 100k articles would take it about 95 minutes): its cost is linear in articles with a
fixed part of a few seconds (measured: the same ms/article at 1k and 5k), so its articles/s on the sample
is its rate on the whole; ours is measured on the whole corpus, fixed costs included.

Both sides get the same articles: the synthetic raw files (originals plus 2 % exact and 3 % near copies),
and for datatrove the same lines as JSONL, one article a line (writing that file is not timed).

This side: the whole pipeline, ingest → publish (release with card, ledger, GX validation), each stage in
its own process as under `dvc repro`, CORPUS_WORKERS=1. Kept: `articles` in the release's stats.json.

datatrove side: FineWeb-2's per-language steps 4 and 5, in its order, each a LocalPipelineExecutor with
one worker (its tasks run one after another in this process), timed from reading the JSONL to the last
output written. Kept: the lines of the filtering output. Sources (huggingface/fineweb-2):
- order and parameters: `fineweb-2-pipeline.py` — MinHash dedup first (signatures → buckets → clusters →
  MinhashDedupFilter, written as JSONL), then a filtering job reading that output: GopherRepetitionFilter
  (dup_para_frac, dup_line_char_frac and dup_para_char_frac 0), FineWebQualityFilter (short_line_thr 999,
  char_duplicates_ratio 0.1), GopherQualityFilter (min_stop_words 2), each with language kor_Hang; JSONL
  written with datatrove's default gzip;
- MinHash: `MinhashConfig(HashConfig(hash_fc="xxhash", precision=64), num_buckets=14, hashes_per_bucket=8,
  n_grams=5)`, words from the language's word tokenizer (Kiwi for kor_Hang); buckets one task per bucket
  here (FineWeb-2: 50 per bucket), clusters one task with save_cluster_size;
- thresholds and stop words: `configs/kor_Hang.yml`.
Not run: step 3, the GlotLID language-score filter (its model is a Hub download; the articles are all
Korean), and step 6's final touches (FTFY, PII, symbol lines), which the comparison leaves out.

Two patches, each needed to run it at all with the bench extra's kiwipiepy 0.24 and xxhash 4.x:
- datatrove's tokenizer table builds `KiwiTokenizer()` for kor_Hang, whose default `model_type="sbg"`
  kiwipiepy_model stopped shipping in 0.22 (`OSError: Cannot open required files for skipbigram model`):
  every step gets `KiwiTokenizer(model_type="cong")`, the shipped default, as its `language` (datatrove
  accepts a WordTokenizer there), so the change travels with the steps into any worker;
- `datatrove.utils.hashes.xxhash.xxhash64` passes the n-gram str to xxhash, which 4.x refuses (`TypeError:
  Strings must be encoded before hashing`): it is replaced by one that encodes to UTF-8 (the same hashes
  xxhash 3.x gave for str) before the signature step is built, which binds its hash function then.
datatrove's own extras pin kiwipiepy<0.22 and xxhash<4, where neither patch is needed; `sbg` there
tokenizes these articles several times slower than `cong`, so datatrove runs faster here than as FineWeb-2 ran.
The ratio is articles/s per core, ours over theirs (wall time, one worker each; also by CPU seconds).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import time_stages
from synthetic import write_corpus

from corpus.stages import StagePaths

KOR_HANG = {  # huggingface/fineweb-2 configs/kor_Hang.yml (language_score 0.842 belongs to the step not run)
    "dup_line_frac": 0.374,
    "dup_n_grams": [[5, 0.201], [6, 0.184], [7, 0.168], [8, 0.154], [9, 0.14], [10, 0.127]],
    "line_punct_thr": 0.062,
    "max_avg_word_length": 6,
    "max_non_alpha_words_ratio": 0.791,
    "min_avg_word_length": 1,
    "new_line_ratio": 0.196,
    "stopwords": [
        "의", "다", "이", "는", "에", "을", "한", "년", "하", "은", "를", "했", "고", "에서", "가", "있", "으로", "인",
        "월", "로", "되",
    ],
    "top_n_grams": [[2, 0.282], [3, 0.228], [4, 0.185]],
}


def encode_before_xxhash() -> None:
    """Patch datatrove's 64-bit xxhash wrapper to hash str as UTF-8, which xxhash 4.x no longer does itself."""
    import xxhash
    from datatrove.utils.hashes import xxhash as datatrove_xxhash

    datatrove_xxhash.xxhash64 = lambda data: xxhash.xxh64_intdigest(data.encode() if isinstance(data, str) else data)


def korean_word_tokenizer():
    """datatrove's Korean word tokenizer on the model kiwipiepy_model ships (`cong`) instead of `sbg`."""
    from datatrove.utils.word_tokenizers import KiwiTokenizer

    return KiwiTokenizer(model_type="cong")


def fineweb2_steps(articles: Path, work: Path) -> dict[str, tuple[list, int]]:
    """FineWeb-2's dedup and filtering jobs for kor_Hang, in order: name → (pipeline, tasks)."""
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    config = MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14,
                           hashes_per_bucket=8, n_grams=5)
    korean = korean_word_tokenizer()
    minhash = work / "minhash"
    return {
        "signatures": ([JsonlReader(str(articles)),
                        MinhashDedupSignature(output_folder=str(minhash / "signatures"), config=config,
                                              language=korean)], 1),
        "buckets": ([MinhashDedupBuckets(input_folder=str(minhash / "signatures"),
                                         output_folder=str(minhash / "buckets"), config=config)], config.num_buckets),
        "clusters": ([MinhashDedupCluster(input_folder=str(minhash / "buckets"),
                                          output_folder=str(minhash / "remove_ids"), config=config,
                                          save_cluster_size=True)], 1),
        "dedup filter": ([JsonlReader(str(articles)), MinhashDedupFilter(input_folder=str(minhash / "remove_ids")),
                          JsonlWriter(str(minhash / "output"))], 1),
        "quality filters": ([
            JsonlReader(str(minhash / "output")),
            GopherRepetitionFilter(language=korean, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
                                   dup_line_frac=KOR_HANG["dup_line_frac"], top_n_grams=KOR_HANG["top_n_grams"],
                                   dup_n_grams=KOR_HANG["dup_n_grams"]),
            FineWebQualityFilter(language=korean, short_line_thr=999, char_duplicates_ratio=0.1,
                                 line_punct_thr=KOR_HANG["line_punct_thr"], new_line_ratio=KOR_HANG["new_line_ratio"]),
            GopherQualityFilter(language=korean, max_avg_word_length=KOR_HANG["max_avg_word_length"],
                                min_avg_word_length=KOR_HANG["min_avg_word_length"], stop_words=KOR_HANG["stopwords"],
                                max_non_alpha_words_ratio=KOR_HANG["max_non_alpha_words_ratio"], min_stop_words=2),
            JsonlWriter(str(work / "output")),
        ], 1),
    }


def cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def run_datatrove(articles: Path, work: Path) -> tuple[dict[str, tuple[float, float]], dict[str, int], int]:
    """Step → (wall seconds, CPU seconds); documents dropped by each dropping block; documents kept."""
    from datatrove.executor import LocalPipelineExecutor

    encode_before_xxhash()
    timings, dropped = {}, {}
    for name, (pipeline, tasks) in fineweb2_steps(articles, work).items():
        logs = str(work / "logs" / name)
        executor = LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=logs)
        started, cpu = time.perf_counter(), cpu_seconds()
        with contextlib.redirect_stderr(io.StringIO()):  # its per-task logs stay in logging_dir
            stats = executor.run()
        timings[name] = (time.perf_counter() - started, cpu_seconds() - cpu)
        dropped |= {block.name: block.stats["dropped"].total for block in stats.stats if "dropped" in block.stats}
    return timings, dropped, count_lines(work / "output")


def count_lines(folder: Path) -> int:
    """Documents in datatrove's gzip JSONL output."""
    count = 0
    for path in folder.glob("*.jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            count += sum(1 for _ in lines)
    return count


def write_jsonl(raw: Path, out: Path, limit: int | None = None) -> int:
    """Each raw line (the first `limit`) as a datatrove document {"id": "file:line", "text": line}; the number
    written."""
    count = 0
    with out.open("w", encoding="utf-8") as jsonl:
        for path in sorted(raw.iterdir()):
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if limit is not None and count >= limit:
                        return count
                    row = {"id": f"{path.name}:{number}", "text": line.rstrip("\n")}
                    jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
    return count


def print_report(total: int, ours: dict, kept_ours: int, sample: int, theirs: dict, dropped: dict,
                 kept_theirs: int) -> None:
    ours_wall, ours_cpu = (sum(t[i] for t in ours.values()) for i in (0, 1))
    theirs_wall, theirs_cpu = (sum(t[i] for t in theirs.values()) for i in (0, 1))
    ours_rate, theirs_rate = total / ours_wall, sample / theirs_wall
    print(f"{total} articles (incl. planted copies); datatrove on {sample} of them; one worker each\n")
    print("| pipeline | articles | seconds | CPU s | articles/s | kept |\n|---|---|---|---|---|---|")
    print(f"| this corpus package (ingest → publish) | {total} | {ours_wall:.1f} | {ours_cpu:.1f} | {ours_rate:,.0f} "
          f"| {kept_ours} |")
    print(f"| datatrove, FineWeb-2 kor_Hang (MinHash dedup, then 3 filters) | {sample} | {theirs_wall:.1f} "
          f"| {theirs_cpu:.1f} | {theirs_rate:,.1f} | {kept_theirs} |")
    print(f"\nratio (ours / datatrove, articles/s per core): {ours_rate / theirs_rate:.1f}× "
          f"(by CPU seconds: {(total / ours_cpu) / (sample / theirs_cpu):.1f}×)\n")
    print("| datatrove step | seconds | CPU s | articles/s |\n|---|---|---|---|")
    for name, (wall, cpu) in theirs.items():
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {sample / wall:,.0f} |")
    print("\ndatatrove dropped: " + ", ".join(f"{name} {count}" for name, count in dropped.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--datatrove-sample", type=int, default=None, help="datatrove on the first N articles only")
    args = parser.parse_args()
    os.environ["CORPUS_WORKERS"] = "1"
    with tempfile.TemporaryDirectory(prefix="corpus-vs-datatrove-") as scratch:
        root = Path(scratch)
        write_corpus(root / "raw", args.articles, exact_fraction=0.02, near_fraction=0.03)
        ours = {name: (wall, cpu) for name, (wall, cpu, *_) in
                time_stages(StagePaths(root / "raw", root / "work", root / "release")).items()}
        kept_ours = json.loads((root / "release" / "stats.json").read_text(encoding="utf-8"))["articles"]
        (root / "jsonl").mkdir()
        total = sum(1 for path in (root / "raw").iterdir() for _ in path.open(encoding="utf-8"))
        sample = write_jsonl(root / "raw", root / "jsonl" / "articles.jsonl", args.datatrove_sample)
        theirs, dropped, kept_theirs = run_datatrove(root / "jsonl", root / "datatrove")
    print_report(total, ours, kept_ours, sample, theirs, dropped, kept_theirs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
