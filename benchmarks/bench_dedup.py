"""Fuzzy deduplication benchmark: Curator's FuzzyDeduplicationWorkflow against datatrove's MinHash.

    nox -s bench -- dedup          (or: python benchmarks/bench_dedup.py)

Workload: bench_text.py's corpus (64 JSONL files x 2000 documents, fixed seed) plus about 10 %
planted near duplicates (copies of random documents of 200+ words, anywhere in the corpus, with 1-3
characters changed), each document with an ``id``. Both systems use 20 bands x 13 hashes; Curator
shingles 24-character n-grams and verifies candidates (Jaccard >= 0.8), datatrove shingles 5-word
n-grams (its only kind) and does not verify. Each system runs in a fresh process, on the local
machine's CPUs (Curator: the local executor; datatrove: its LocalPipelineExecutor with as many
workers, in the virtualenv benchmarks/external_envs.py builds). Reported: wall time, peak memory of
the whole process tree (PSS), recall (planted pairs of true Jaccard >= 0.8 of which at least one copy
was removed) and
precision (removed documents with a partner of true 24-character-shingle Jaccard >= 0.8 in their
cluster). Curator also runs on a smaller and a larger corpus (CURATOR_BENCH_DEDUP_SCALES, default
"0.5,1,2" times 64 files) to show that its memory stays flat. Figures only; nothing is asserted.
CURATOR_BENCH_DEDUP_SYSTEMS (comma list of curator,datatrove) limits the systems.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "text"))

DOCS = 2000
FILES = int(os.environ.get("CURATOR_BENCH_DEDUP_FILES", "64"))
WORK = os.environ.get("CURATOR_BENCH_DEDUP_DIR", os.path.join(ROOT, ".tmp", "bench-dedup"))
SCALES = [float(s) for s in os.environ.get("CURATOR_BENCH_DEDUP_SCALES", "0.5,1,2").split(",")]
SYSTEMS = os.environ.get("CURATOR_BENCH_DEDUP_SYSTEMS", "curator,datatrove").split(",")
PLANTED_SHARE = 0.10
THRESHOLD = 0.8


def corpus(files: int) -> str:
    """The generated corpus with planted near duplicates and ids; ground truth in ``planted.json``."""
    from generate_corpus import SEED, generate

    directory = os.path.join(WORK, f"input-{files}x{DOCS}-{SEED}")
    if os.path.exists(os.path.join(directory, ".complete")):
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    base = os.path.join(WORK, f"base-{files}x{DOCS}-{SEED}")
    shutil.rmtree(base, ignore_errors=True)
    started = time.perf_counter()
    generate(base, files=files, docs=DOCS, workers=os.cpu_count() or 1)
    rng = random.Random(SEED)
    docs: list[list[dict[str, str]]] = []
    for index in range(files):
        with open(os.path.join(base, f"part-{index:05d}.jsonl"), encoding="utf-8") as handle:
            docs.append([{"id": f"{index}-{row}", **json.loads(line)} for row, line in enumerate(handle)])
    candidates = [(f, r) for f in range(files) for r, d in enumerate(docs[f]) if len(d["text"].split()) >= 200]
    planted = []
    extra: list[list[dict[str, str]]] = [[] for _ in range(files)]
    for k in range(int(files * DOCS * PLANTED_SHARE)):
        f, r = rng.choice(candidates)
        chars = list(docs[f][r]["text"])
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        target = rng.randrange(files)
        copy_id = f"dup-{k}"
        extra[target].append({"id": copy_id, "text": "".join(chars), "source": "planted"})
        copy_text = extra[target][-1]["text"]
        similarity = _jaccard(_shingles(docs[f][r]["text"]), _shingles(copy_text))
        planted.append((docs[f][r]["id"], copy_id, similarity))
    os.makedirs(directory)
    for index in range(files):
        rows = docs[index] + extra[index]
        random.Random(index).shuffle(rows)
        with open(os.path.join(directory, f"part-{index:05d}.jsonl"), "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with open(os.path.join(WORK, f"planted-{files}.json"), "w") as handle:
        json.dump(planted, handle)
    shutil.rmtree(base, ignore_errors=True)
    open(os.path.join(directory, ".complete"), "w").close()
    print(f"generated {files} files (+{len(planted)} planted near duplicates) in {time.perf_counter() - started:.1f} s")
    return directory


def run_curator(input_dir: str, work: str) -> None:
    """Child process: Curator's fuzzy dedup on the local executor; prints removed ids and clusters."""
    from bench_text import available_cpus

    from curator_core.executors.local import LocalExecutor
    from curator_text.dedup import FuzzyDeduplicationWorkflow

    started = time.perf_counter()
    result = FuzzyDeduplicationWorkflow(
        input_dir, os.path.join(work, "cache"), os.path.join(work, "out"), id_field="id"
    ).run(LocalExecutor({"cpus": available_cpus(), "progress": False}))
    elapsed = time.perf_counter() - started
    import pyarrow.parquet as pq

    table = pq.read_table(result.duplicate_ids_path)
    clusters: dict[str, list[str]] = {}
    for row in table.to_pylist():
        clusters.setdefault(str(row["cluster_id"]), [row["kept_id"]]).append(row["id"])
    with open(os.path.join(work, "clusters.json"), "w") as handle:
        json.dump({"removed": table.column("id").to_pylist(), "clusters": clusters}, handle)
    print(json.dumps({"workflow_s": elapsed, "removed": table.num_rows}))


DATATROVE_SCRIPT = r"""
import json, os, sys, time, types
try:
    import tokenizers
except ImportError:
    # datatrove.pipeline.dedup's __init__ imports its exact-substring step, which needs tokenizers at
    # import time; MinHash never calls it (tokenizers is missing from external_envs' datatrove extras).
    processors = types.ModuleType("tokenizers.processors")
    processors.TemplateProcessing = object
    sys.modules["tokenizers"] = types.ModuleType("tokenizers")
    sys.modules["tokenizers.processors"] = processors
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig

import datatrove.pipeline.dedup.minhash as datatrove_minhash


# Words split on white space. datatrove's English tokenizer needs spaCy (not in external_envs'
# datatrove extras); its text is already lower-cased and stripped of punctuation by simplify_text,
# so splitting gives nearly the same 5-word shingles, and faster than spaCy would.
class SplitTokenizer:
    def word_tokenize(self, text):
        return text.split()


datatrove_minhash.load_word_tokenizer = lambda language: SplitTokenizer()

# The xxhash the virtualenv gets (3.6+) refuses str, which datatrove 0.10.1 passes; older xxhash
# hashed its UTF-8 bytes, as this does.
import xxhash

_xxh64_intdigest = xxhash.xxh64_intdigest
xxhash.xxh64_intdigest = lambda data, seed=0: _xxh64_intdigest(data.encode() if isinstance(data, str) else data, seed)


def run(pipeline, tasks, name, logs, workers):
    LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks),
                          logging_dir=os.path.join(logs, name)).run()


def main():  # guarded: datatrove's worker processes import this module again
    input_dir, work, workers, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    config = MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=20, hashes_per_bucket=13, n_grams=5)
    logs = os.path.join(work, "logs")
    started = time.perf_counter()
    sigs, buckets, remove = (os.path.join(work, name) for name in ("sigs", "buckets", "remove"))
    def reader():
        return JsonlReader(input_dir, glob_pattern="*.jsonl")

    run([reader(), MinhashDedupSignature(sigs, config=config)], files, "sigs", logs, workers)
    run([MinhashDedupBuckets(sigs, buckets, config=config)], config.num_buckets, "buckets", logs, workers)
    run([MinhashDedupCluster(buckets, remove, config=config, save_cluster_id=True)], 1, "clusters", logs, workers)
    removed = JsonlWriter(os.path.join(work, "removed"), compression=None)
    run([reader(), MinhashDedupFilter(remove, load_cluster_ids=True, exclusion_writer=removed),
         JsonlWriter(os.path.join(work, "kept"), compression=None)], files, "filter", logs, workers)
    print(json.dumps({"workflow_s": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
"""


def _datatrove_clusters(work: str) -> None:
    """removed ids and clusters from datatrove's outputs (cluster ids in the documents' metadata)."""
    removed: list[str] = []
    clusters: dict[str, list[str]] = {}
    for kind in ("removed", "kept"):
        folder = os.path.join(work, kind)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                for line in handle:
                    doc = json.loads(line)
                    cluster = doc.get("metadata", {}).get("minhash_cluster_id", -1)
                    if kind == "removed":
                        removed.append(doc["id"])
                    if cluster != -1:
                        clusters.setdefault(str(cluster), []).append(doc["id"])
    with open(os.path.join(work, "clusters.json"), "w") as handle:
        json.dump({"removed": removed, "clusters": clusters}, handle)


def _shingles(text: str) -> set[bytes]:
    data = text.encode("utf-8")
    return {data[i : i + 24] for i in range(len(data) - 23)}


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def quality(input_dir: str, files: int, work: str) -> tuple[float, float]:
    """(precision, recall) of the removals a run wrote to ``work/clusters.json``."""
    with open(os.path.join(work, "clusters.json")) as handle:
        found = json.load(handle)
    with open(os.path.join(WORK, f"planted-{files}.json")) as handle:
        planted = json.load(handle)
    removed = set(found["removed"])
    similar = [(a, b) for a, b, similarity in planted if similarity >= THRESHOLD]
    recall = sum(1 for a, b in similar if a in removed or b in removed) / len(similar)
    texts: dict[str, str] = {}
    for name in sorted(os.listdir(input_dir)):
        if name.endswith(".jsonl"):
            with open(os.path.join(input_dir, name), encoding="utf-8") as handle:
                for line in handle:
                    doc = json.loads(line)
                    texts[doc["id"]] = doc["text"]
    cluster_of = {doc: members for members in found["clusters"].values() for doc in members}
    justified = 0
    for doc in removed:
        mine = _shingles(texts[doc])
        for other in cluster_of.get(doc, []):
            if other == doc:
                continue
            if _jaccard(mine, _shingles(texts[other])) >= THRESHOLD:
                justified += 1
                break
    precision = justified / len(removed) if removed else 1.0
    return precision, recall


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_curator(sys.argv[2], sys.argv[3])
        return 0
    from bench_text import available_cpus, measure

    cpus = available_cpus()
    rows = []
    for scale in sorted(set(SCALES) | {1.0}):
        files = max(1, round(FILES * scale))
        input_dir = corpus(files)
        systems = []
        if "curator" in SYSTEMS:
            systems.append(("curator", [sys.executable, __file__, "--child", input_dir]))
        if "datatrove" in SYSTEMS and scale == 1.0:
            from external_envs import datatrove_python

            script = os.path.join(WORK, "datatrove_minhash.py")
            with open(script, "w") as handle:
                handle.write(DATATROVE_SCRIPT)
            systems.append(("datatrove 0.10.1", [str(datatrove_python()), script, input_dir]))
        for label, command in systems:
            work = os.path.join(WORK, f"work-{label.split()[0]}-{files}")
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            full = [*command, work] + ([str(cpus), str(files)] if label.startswith("datatrove") else [])
            try:
                figures = measure(full)
            except Exception as exc:
                print(f"{label} ({files} files): failed: {exc}")
                continue
            if label.startswith("datatrove"):
                _datatrove_clusters(work)
            precision, recall = quality(input_dir, files, work)
            rows.append((label, files * DOCS, figures["wall_s"], figures["peak_mb"], precision, recall))
    print(f"\nfuzzy dedup benchmark: {cpus} CPUs, 20 bands x 13 hashes, +{PLANTED_SHARE:.0%} planted near duplicates")
    print(f"{'system':<18} {'documents':>10} {'wall s':>8} {'peak MB':>9} {'precision':>10} {'recall':>8}")
    for label, docs, wall, peak, precision, recall in rows:
        print(f"{label:<18} {docs:>10} {wall:>8.1f} {peak:>9.0f} {precision:>10.4f} {recall:>8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
