"""Startup cost of the plugin system: ``import curator_core`` and ``curator plugins``.

Each figure is the median of several fresh processes, with every plugin installed in this
environment. Also reports whether any heavy engine library got imported along the way
(it must not: listing plugins loads manifests only). Prints a table; asserts nothing.

    python benchmarks/bench_plugins.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HEAVY = ("ray", "cosmos_xenna", "pyarrow", "av", "soundfile", "torch")

HEAVY_SET = "{" + ", ".join(repr(m) for m in HEAVY) + "}"

IMPORT_PROBE = """
import time, sys, json
t = time.perf_counter()
import curator_core
took = time.perf_counter() - t
print(json.dumps({"s": took, "heavy": sorted({m.split('.')[0] for m in sys.modules} & HEAVY)}))
""".replace("HEAVY", HEAVY_SET)

PLUGINS_PROBE = """
import io, time, sys, json
t = time.perf_counter()
from curator_core.cli import main
rc = main(["plugins"], stdout=io.StringIO())
took = time.perf_counter() - t
stage_modules = sorted(m for m in sys.modules if m.startswith("curator_") and not m.startswith("curator_core")
                       and not m.endswith(".plugin") and m.count(".") > 0 and not m.endswith("__about__"))
print(json.dumps({"s": took, "rc": rc, "heavy": sorted({m.split('.')[0] for m in sys.modules} & HEAVY),
                  "plugin_modules": stage_modules}))
""".replace("HEAVY", HEAVY_SET)


# Measure what users get: bytecode caches written and used (PYTHONDONTWRITEBYTECODE would make
# every run compile every module from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``command`` in fresh processes.

    CPU time barely moves when other work shares the machine, so it is the steadier figure.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _probe(code: str, runs: int) -> tuple[float, dict[str, object]]:
    times, last = [], {}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=ENV)
        last = json.loads(done.stdout.strip().splitlines()[-1])
        times.append(float(last["s"]))  # type: ignore[arg-type]
    return statistics.median(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    console = shutil.which("curator", path=os.path.dirname(sys.executable)) or shutil.which("curator")
    plugins_cmd: list[str] = [console, "plugins"] if console else [sys.executable, "-m", "curator_core.cli", "plugins"]

    for warm_up in (IMPORT_PROBE, PLUGINS_PROBE):
        subprocess.run([sys.executable, "-c", warm_up], check=True, capture_output=True, env=ENV)
    baseline = _wall([sys.executable, "-c", "pass"], runs)
    import_wall = _wall([sys.executable, "-c", "import curator_core"], runs)
    plugins_wall = _wall(plugins_cmd, runs)
    import_inproc, import_info = _probe(IMPORT_PROBE, runs)
    plugins_inproc, plugins_info = _probe(PLUGINS_PROBE, runs)
    listing = subprocess.run(plugins_cmd, capture_output=True, text=True, env=ENV).stdout
    installed = max(len(listing.splitlines()) - 1, 0)

    import_heavy = ", ".join(import_info["heavy"]) or "none"  # type: ignore[arg-type]
    plugins_heavy = ", ".join(plugins_info["heavy"]) or "none"  # type: ignore[arg-type]
    rows = [
        ("python -c pass (interpreter start)", baseline, "", ""),
        ("python -c 'import curator_core'", import_wall, "< 100 ms", import_heavy),
        ("  of which import curator_core itself", (import_inproc, import_inproc), "", ""),
        ("curator plugins (console script)", plugins_wall, "< 250 ms", plugins_heavy),
        ("  of which in-process (import + list)", (plugins_inproc, plugins_inproc), "", ""),
    ]
    print(f"curator plugins / import curator_core: median of {runs} fresh processes, {installed} plugin(s) listed")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with load)")
    print(f"{'measure':<40} {'wall':>8} {'cpu':>8} {'target':>9}  heavy modules imported")
    for name, (wall, cpu), target, heavy in rows:  # type: ignore[misc]
        print(f"{name:<40} {wall * 1000:>6.0f}ms {cpu * 1000:>6.0f}ms {target:>9}  {heavy}")
    print(f"plugin modules imported by `curator plugins` besides manifests: {plugins_info['plugin_modules'] or 'none'}")


if __name__ == "__main__":
    main()
