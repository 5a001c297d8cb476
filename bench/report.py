"""Write bench/results.json and the benchmark table of docs/performance.md (between markers)."""

import json
from pathlib import Path

START, END = "<!-- bench:table -->", "<!-- /bench:table -->"
LABELS = {
    "bare": "bare Flask + SQLAlchemy, one row",
    "planning": "public planning week `/workshops/`",
    "people_search": "people search `/members/people?q=` (reception)",
    "person_page": "person page (reception)",
    "booking_post": "booking POST `book-for` (reception)",
    "checkin_page": "check-in page (reception)",
    "case_page": "case page (social worker, 2FA)",
    "report_year": "report dashboard, last year, 20 sites (coordinator)",
}


def table(results: dict) -> str:
    rows = results.get("journeys", {})
    bare_rps = rows.get("bare", {}).get("rps") or 0
    lines = [
        "| journey | p50 ms | p95 ms | req/s | × bare | SQL/request | failures | max RSS/worker MB "
        "| load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        ratio = f"{row['rps'] / bare_rps:.2f}" if bare_rps else "—"
        queries = "—" if row["queries_median"] is None else f"{row['queries_median']:g}"
        if row["queries_max"] is not None and row["queries_max"] != row["queries_median"]:
            queries = f"{queries} (max {row['queries_max']})"
        lines.append(
            f"| {LABELS.get(name, name)} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
            f"{row['rps']:.1f} | {ratio} | {queries} | {row['failures']} | "
            f"{row['worker_rss_mb_max']:.0f} | {row.get('load_avg_1m', '—')} |"
        )
    report = results.get("report_year")
    if report and report["html"].get("median_s") and report["pdf"].get("median_s"):
        lines.append("")
        lines.append(
            f"One-year report, 20 sites, one request at a time: HTML "
            f"{report['html']['median_s']:.2f} s ({report['html']['queries']} SQL), PDF "
            f"{report['pdf']['median_s']:.2f} s (median of {len(report['pdf']['runs_s'])})."
        )
    settings = results.get("settings", {})
    lines.append("")
    lines.append(
        f"Run {results.get('started_at', '')}: {settings.get('users')} users per journey, "
        f"{settings.get('seconds', 0):.0f} s measured after {settings.get('warmup', 0):.0f} s "
        f"warm-up, gunicorn {settings.get('workers')} workers × {settings.get('threads')} "
        f"threads, database `{settings.get('source_database')}` (copied)."
    )
    return "\n".join(lines)


def write_results(results: dict, root: Path) -> None:
    (root / "bench" / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    doc = root / "docs" / "performance.md"
    if "journeys" not in results or not doc.exists():
        return
    text = doc.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        doc.write_text(f"{before}{START}\n{table(results)}\n{END}{after}")
