"""Scale benchmarks: `make bench` (or `.venv/bin/python bench/run.py [options]`).

Builds (once, then reuses) a demo database of 1,000 and one of 100,000 families on SQLite
(files in bench/output/) and on PostgreSQL (databases <BENCH_POSTGRES_URL>_1000 and
_100000, default postgres://postgres@127.0.0.1:5432/scale_bench), measures each with
bench/measure.py in a child process (Django settles its database at start-up), loads the
family list and a trivial view under one gunicorn sync worker with wrk, and writes
docs/performance.md.

Options: --backends sqlite,postgres  --sizes 1000,100000  --repeats 30  --no-wrk
--rebuild (drop the cached databases first)  --build-only  --report-only.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "output"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
DOC = ROOT / "docs" / "performance.md"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/scale_bench"
)


def database_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{OUTPUT / f'sqlite-{size}.sqlite3'}"
    return f"{POSTGRES_URL}_{size}"


def child_env(backend: str, size: int, *, debug: bool) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(backend, size),
        DEBUG="1" if debug else "0",
        SECRET_KEY="bench-only-secret-key-not-for-production-" + "x" * 20,
        HTTPS="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    return env


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- building the databases -------------------------------------------------------------


def _postgres_admin(sql: str) -> None:
    import psycopg

    base, _, _name = POSTGRES_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def build(backend: str, size: int, *, rebuild: bool) -> dict:
    """Migrate and seed the database once; its marker file keeps the seeding time."""
    marker = OUTPUT / f"{backend}-{size}.json"
    sqlite_file = OUTPUT / f"sqlite-{size}.sqlite3"
    if marker.exists() and not rebuild and (backend != "sqlite" or sqlite_file.exists()):
        return json.loads(marker.read_text())
    log(f"building {backend} with {size} families (once; cached in {marker.name})")
    marker.unlink(missing_ok=True)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    else:
        name = database_url(backend, size).rpartition("/")[2]
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres_admin(f'CREATE DATABASE "{name}"')
    env = child_env(backend, size, debug=True)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    started = time.monotonic()
    seeded = subprocess.run(
        [*manage, "seed_demo", "--families", str(size)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    print(seeded.stdout, end="")
    info = {
        "backend": backend,
        "size": size,
        "seed_seconds": round(seconds, 1),
        "seed_log": seeded.stdout,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_after": os.getloadavg(),
    }
    marker.write_text(json.dumps(info, indent=1))
    return info


# --- measuring ----------------------------------------------------------------------------


def measure(backend: str, size: int, repeats: int, *, recompute: bool = True) -> dict:
    log(f"measuring {backend} at {size} families")
    out = OUTPUT / f"measure-{backend}-{size}.json"
    # A cached database may predate the latest migrations (new indexes) and the planner
    # statistics that seed_demo now leaves behind.
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        env=child_env(backend, size, debug=True),
        check=True,
    )
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from accounts.database import refresh_planner_statistics as r; r()",
        ],
        env=child_env(backend, size, debug=True),
        check=True,
    )
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "measure.py"),
            "--repeats",
            str(repeats),
            "--out",
            str(out),
            *([] if recompute else ["--no-recompute"]),
        ],
        env=child_env(backend, size, debug=False),
        check=True,
    )
    return json.loads(out.read_text())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port}")


def _wrk(url: str, cookie: str | None, seconds: int) -> float:
    command = ["wrk", "-t1", "-c2", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} non-2xx answers\n{result.stdout}")
    return float(found.group(1))


def throughput(backend: str, size: int, cookie: str, seconds: int = 10) -> dict:
    """Requests per second of the family list and of /healthz under one sync worker."""
    if not shutil.which("wrk"):
        return {"error": "wrk is not installed"}
    log(f"wrk against one gunicorn worker: {backend} at {size} families")
    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=child_env(backend, size, debug=False),
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait_for(port)
        base = f"http://127.0.0.1:{port}"
        _wrk(f"{base}/families/", cookie, 2)  # warm-up
        figures = {}
        for _round in range(2):  # alternate, to share the machine's noise
            for name, path, with_cookie in (
                ("family_list", "/families/", True),
                ("healthz", "/accounts/healthz", False),
            ):
                rps = _wrk(f"{base}{path}", cookie if with_cookie else None, seconds)
                figures.setdefault(name, []).append(rps)
        result = {name: max(values) for name, values in figures.items()}
        result["runs"] = figures
        result["ratio"] = result["family_list"] / result["healthz"]
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def extras(args) -> dict:
    """Payroll for 10,000 employees on each backend (bench/payroll.py, its own throw-away
    database) and the 50- and 100-page PDF report (bench/report_pdf.py)."""
    found = {}
    for backend in args.backends:
        out = OUTPUT / f"payroll-{backend}.json"
        out.unlink(missing_ok=True)
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["PYTHONPATH"] = str(ROOT)
        if backend == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES_URL}_payroll"
        log(f"payroll for 10,000 employees on {backend}")
        subprocess.run([PYTHON, str(ROOT / "bench" / "payroll.py"), "--json", str(out)], env=env)
    script = ROOT / "bench" / "report_pdf.py"
    if script.exists():
        log("the 50- and 100-page PDF report")
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        subprocess.run([PYTHON, str(script)], env=dict(env, PYTHONPATH=str(ROOT)))
    for name in [f"payroll-{backend}" for backend in args.backends] + ["report-pdf"]:
        path = OUTPUT / f"{name}.json"
        if path.exists():
            found[name] = json.loads(path.read_text())
    return found


# --- the report -------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _ratio(big, small) -> str:
    return "—" if not big or not small else f"{big / small:.2f}×"


def _pdf_section(pdf: dict) -> str:
    rows = sorted(pdf.get("results", []), key=lambda row: row["pages"])
    goal = pdf.get("goal", {})
    lines = [
        "## PDF report: 50 and 100 pages",
        "",
        f"bench/report_pdf.py: {pdf.get('report', 'a PDF report')}, WeasyPrint "
        f"{pdf.get('weasyprint', '?')}, each size in a fresh process; pages counted in the "
        f"PDF. Goal: {goal.get('pages', 50)} pages in under {goal.get('seconds', 15):.0f} s "
        f"and {goal.get('peak_mb', 400):.0f} MB.",
        "",
        "| Pages | Lines | Time (s) | CPU (s) | Peak memory (MB) | Before rendering (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['pages']} | {row['lines']:,} | {row['seconds']:.1f} | "
            f"{row['cpu_seconds']:.1f} | {row['peak_mb']:.0f} | {row['before_render_mb']:.0f} |"
        )
    if len(rows) >= 2:
        lines += [
            "",
            f"Time ratio {rows[-1]['pages']} / {rows[0]['pages']} pages: "
            f"**{rows[-1]['seconds'] / rows[0]['seconds']:.2f}** "
            f"(CPU {rows[-1]['cpu_seconds'] / rows[0]['cpu_seconds']:.2f}).",
        ]
    return "\n".join(lines)


def write_report(results: dict, args) -> None:
    lines = []
    info = results["machine"]
    add = lines.append
    add("# Performance at 100,000 families")
    add("")
    add(f"Written by `make bench` (bench/run.py) on {results['date']}.")
    add("")
    add(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} memory; "
        f"Python {info['python']}; {info['system']}."
    )
    add(
        f"Load average (1, 5, 15 min) when this report was written: {results['load_start']}"
        f" (start), {results['load_end']} (end). The cores are shared with other work, so "
        f"every time below is the 50th and 95th percentile of {args.repeats} repeats (each "
        "page in turn) after two warm-ups."
    )
    add("")
    add("Goals (issue 9): queries per page equal at both sizes; big/small p50 at most 1.5×;")
    add("every page p50 at most 100 ms at 100,000 families; score recompute at most 1.5× the")
    add("raw SQL; family-list throughput at least a tenth of a trivial view's.")
    add("")
    add("## Seeding")
    add("")
    add("| Backend | Families | `seed_demo` time (s) | Income records | Built |")
    add("|---|---:|---:|---:|---|")
    for key, build_info in results["builds"].items():
        backend, size = key.split(":")
        counts = results["measure"].get(key, {}).get("counts", {})
        add(
            f"| {backend} | {int(size):,} | {build_info['seed_seconds']} | "
            f"{_count(counts.get('income_records'))} | {build_info['built']} |"
        )
    add("")
    for backend in args.backends:
        small_key, big_key = f"{backend}:{args.sizes[0]}", f"{backend}:{args.sizes[-1]}"
        small, big = results["measure"].get(small_key), results["measure"].get(big_key)
        if not small:
            continue
        if not big:  # not measured (e.g. the database could not be built in time)
            big = {"queries": {}, "timings": {}}
        add(f"## {'SQLite' if backend == 'sqlite' else 'PostgreSQL'}")
        add("")
        add(f"### SQL queries per page ({args.sizes[0]:,} and {args.sizes[-1]:,} families)")
        add("")
        add(f"| Page | As | {args.sizes[0]:,} | {args.sizes[-1]:,} | Equal |")
        add("|---|---|---:|---:|---|")
        for name, row in small["queries"].items():
            other = big["queries"].get(name, {})
            if not other:
                same = "not measured"
            else:
                same = "yes" if other.get("queries") == row["queries"] else "**no**"
            add(
                f"| {name} | {row['user']} | {row['queries']} | {other.get('queries', '—')} "
                f"| {same} |"
            )
        add("")
        add("### Server time (ms, Django test client, DEBUG off)")
        add("")
        add(
            f"| Page | p50 {args.sizes[0]:,} | p95 {args.sizes[0]:,} | p50 {args.sizes[-1]:,} "
            f"| p95 {args.sizes[-1]:,} | big/small p50 | CPU p50 {args.sizes[0]:,} "
            f"| CPU p50 {args.sizes[-1]:,} |"
        )
        add("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, row in small["timings"].items():
            other = big["timings"].get(name, {})
            add(
                f"| {name} | {_ms(row['p50'])} | {_ms(row['p95'])} | {_ms(other.get('p50'))} "
                f"| {_ms(other.get('p95'))} | {_ratio(other.get('p50'), row['p50'])} "
                f"| {_ms(row.get('cpu_p50'))} | {_ms(other.get('cpu_p50'))} |"
            )
        add("")
        add(
            "Wall-clock time is what a user waits; CPU time is this process's (Python and, "
            "on SQLite, the database engine; on PostgreSQL the server's work is not in it) "
            "and moves less when other work shares the cores."
        )
        add("")
        recompute = big.get("recompute")
        if recompute:
            add(f"### Well-being score recompute ({big['counts']['families']:,} families)")
            add("")
            add("| What | Median (s) | Runs (s) |")
            add("|---|---:|---|")
            for label, key in (
                ("`family_scores_recompute()` (what `recompute_scores` runs)", "service"),
                ("The same aggregate as one raw SQL query (read only)", "raw_sql"),
            ):
                runs = ", ".join(f"{value:.2f}" for value in recompute[key])
                add(f"| {label} | {recompute[key + '_median']:.2f} | {runs} |")
            add("")
            add(
                f"Ratio service / raw SQL: **{recompute['ratio']:.2f}×** wall-clock, "
                f"{recompute.get('ratio_cpu', float('nan')):.2f}× CPU. The service runs on "
                "stored scores (the nightly case: it reads every input in one query per "
                "2,000 families and writes only the rows that changed); with no score stored "
                f"it writes every row: {recompute['service_cold']:.2f} s "
                f"({recompute['service_cold'] / recompute['raw_sql_median']:.2f}× the raw SQL, "
                "which only reads). The raw SQL computes the same figures (score, light, "
                "trend, exit readiness, the due date's inputs) in one read-only query."
            )
            add("")
        wrk = results["throughput"].get(big_key)
        if wrk:
            add(f"### Throughput under one gunicorn sync worker ({args.sizes[-1]:,} families)")
            add("")
            if "error" in wrk:
                add(f"Not measured: {wrk['error']}.")
            else:
                add("wrk, 1 thread, 2 connections, 10 s per run, two alternating runs (best):")
                add("")
                add("| URL | Requests/s | Runs |")
                add("|---|---:|---|")
                for name, path in (("family_list", "/families/"), ("healthz", "/accounts/healthz")):
                    runs = ", ".join(f"{value:.1f}" for value in wrk["runs"][name])
                    add(f"| `{path}` | {wrk[name]:.1f} | {runs} |")
                add("")
                add(
                    f"Family list / trivial view: **{wrk['ratio']:.3f}** "
                    "(goal at least 0.1). `/families/` is the caseworker's first page."
                )
            add("")
    before = OUTPUT / f"before-measure-sqlite-{args.sizes[-1]}.json"
    after = results["measure"].get(f"sqlite:{args.sizes[-1]}")
    if before.exists() and after:
        earlier = json.loads(before.read_text())
        add(f"## Before and after the fixes (SQLite, {args.sizes[-1]:,} families)")
        add("")
        add(
            "Kept from the first run (bench/output/before-measure-*.json): the same pages "
            "before the order indexes and the ids-first paginator (the signature cache was "
            "already in)."
        )
        add("")
        add("| Page | p50 before | p50 after | CPU p50 before | CPU p50 after |")
        add("|---|---:|---:|---:|---:|")
        for name, row in earlier["timings"].items():
            now = after["timings"].get(name, {})
            add(
                f"| {name} | {_ms(row['p50'])} | {_ms(now.get('p50'))} "
                f"| {_ms(row.get('cpu_p50'))} | {_ms(now.get('cpu_p50'))} |"
            )
        add("")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        add(notes.read_text().strip())
        add("")
    extra = results.get("extras", {})
    payroll = [
        extra[f"payroll-{backend}"] for backend in args.backends if f"payroll-{backend}" in extra
    ]
    if payroll:
        add("## Payroll: one run of 10,000 employees")
        add("")
        add("bench/payroll.py, in a throw-away database of its own (goal: under 2 s a step).")
        add("")
        add("| Backend | Step | Time (s) | CPU (s) | Queries |")
        add("|---|---|---:|---:|---:|")
        for figures in payroll:
            for step, row in figures["steps"].items():
                add(
                    f"| {figures['backend']} | {step} | {row['seconds']:.2f} | "
                    f"{row['cpu']:.2f} | {row['queries']} |"
                )
        add("")
    pdf = extra.get("report-pdf")
    if pdf:
        add(_pdf_section(pdf))
        add("")
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("\n".join(lines))
    log(f"wrote {DOC.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--no-recompute", action="store_true")
    parser.add_argument("--no-extras", action="store_true", help="No payroll or PDF benchmark.")
    parser.add_argument("--build-only", action="store_true", help="Build the databases, no more.")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="Write docs/performance.md from the figures already in bench/output/.",
    )
    args = parser.parse_args()
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    args.sizes = [int(size) for size in args.sizes.split(",")]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": ", ".join(f"{value:.2f}" for value in os.getloadavg()),
        "builds": {},
        "measure": {},
        "throughput": {},
    }
    if not args.report_only:
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
            env=child_env("sqlite", args.sizes[0], debug=False),
            check=True,
        )
    for backend in args.backends:
        if args.report_only:
            for size in args.sizes:
                key = f"{backend}:{size}"
                built = OUTPUT / f"{backend}-{size}.json"
                results["builds"][key] = (
                    json.loads(built.read_text())
                    if built.exists()
                    else {"seed_seconds": "—", "built": "not built"}
                )
                measured = OUTPUT / f"measure-{backend}-{size}.json"
                if measured.exists():
                    results["measure"][key] = json.loads(measured.read_text())
                wrk = OUTPUT / f"wrk-{backend}-{size}.json"
                if wrk.exists():
                    results["throughput"][key] = json.loads(wrk.read_text())
            continue
        for size in args.sizes:
            key = f"{backend}:{size}"
            results["builds"][key] = build(backend, size, rebuild=args.rebuild)
            if args.build_only:
                continue
            results["measure"][key] = measure(
                backend, size, args.repeats, recompute=not args.no_recompute
            )
        if not args.no_wrk and not args.build_only:
            big = f"{backend}:{args.sizes[-1]}"
            cookie = results["measure"][big]["cookie"]
            results["throughput"][big] = throughput(backend, args.sizes[-1], cookie)
            (OUTPUT / f"wrk-{backend}-{args.sizes[-1]}.json").write_text(
                json.dumps(results["throughput"][big], indent=1)
            )
    if args.build_only:
        return
    if args.report_only or args.no_extras:
        results["extras"] = {
            path.stem: json.loads(path.read_text())
            for path in sorted(OUTPUT.glob("*.json"))
            if path.stem.startswith("payroll-") or path.stem == "report-pdf"
        }
    else:
        results["extras"] = extras(args)
    results["load_end"] = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    earlier = OUTPUT / "results.json"
    if args.report_only and earlier.exists():
        # The figures are the measuring run's: so are its date and load.
        measured = json.loads(earlier.read_text())
        for key in ("date", "load_start", "load_end"):
            results[key] = measured.get(key, results[key])
    else:
        earlier.write_text(json.dumps(results, indent=1, default=str))
    write_report(results, args)


if __name__ == "__main__":
    main()
