"""Requests per second and latency of a feed and "Mine opgaver" under load: gunicorn on loopback, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/load_bench.py [--seconds 10] [--connections 6]

Uses the generated data set in DATABASE_URL (run ``python manage.py generate_data``
against it first, and ``bench/views_bench.py`` once, which gives the generated
follow-ups realistic dates). Installs wrk with apt-get when it is missing.

Starts gunicorn as the Procfile does (``--workers 3``) but bound to 127.0.0.1
on a free port, with ``DEBUG=false`` and persistent database connections as in
production, then runs wrk for a fixed time against:

- "Mine opgaver" of the member with the most open items, with their session cookie;
- that member's calendar feed, as a client without a copy (200), and as a
  calendar program that sends the ETag it has (``If-None-Match``: 304);
- a forum's feed (its secretary's), both ways.

Prints requests per second, the median and 95th percentile latency as wrk
measured them (which includes waiting for a free worker), and the CPU time
the gunicorn workers spent per request. Stops gunicorn at the end, also on
failure. Everything stays on the loopback interface.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# wrk prints its own percentiles (50/75/90/99); the 95th comes from this script.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), summary.errors.status, errors))
end
"""
TARGET_MS = 50


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("wrk is missing: install it with 'apt-get install -y wrk' as root.")
    print("installing wrk …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, timeout=300,
                   stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> dict[str, str]:
    """A session for the busiest member, and fresh feed tokens for them and a forum's secretary."""
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from tracker import access, feeds
    from tracker.models import ActionItem, CalendarFeed, Membership
    from views_bench import members_by_open_items, require_migrated

    require_migrated()
    if ActionItem.objects.count() < 10_000:
        sys.exit("Too little data: run `python manage.py generate_data` against this database first.")
    settings.ALLOWED_HOSTS = ["testserver"]
    count, member = members_by_open_items()[0]
    client = Client()
    client.force_login(member)
    biggest = ActionItem.objects.values("body").annotate(n=Count("pk")).order_by("-n").first()["body"]
    membership = Membership.objects.filter(is_secretary=True, body_id=biggest, person__user__isnull=False).select_related(
        "person__user", "body").first()
    if membership is None:
        sys.exit("No secretary with a login in the biggest forum: run generate_data again.")
    secretary = membership.person.user
    now = timezone.now()
    CalendarFeed.objects.filter(owner__in=[member, secretary], revoked_at=None).update(revoked_at=now)
    _feed, mine = feeds.calendar_feed_create(owner=member, scope=CalendarFeed.Scope.MINE)
    _feed, forum = feeds.calendar_feed_create(owner=secretary, scope=CalendarFeed.Scope.BODY, body=membership.body)
    print(f"member {member.username} ({count} open items), forum feed of {membership.body.name} "
          f"({access.visible_items(secretary).filter(body=membership.body).count()} items)")
    return {"session": client.cookies[settings.SESSION_COOKIE_NAME].value, "mine": mine, "forum": forum,
            "cookie_name": settings.SESSION_COOKIE_NAME}


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/login/", timeout=5)
            return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop(process)
    sys.exit("gunicorn did not answer within a minute.")


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started: its own process group, nothing else."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def worker_cpu_seconds(master: int) -> float:
    """User + system CPU time of the gunicorn workers (the master's children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def check(url: str, headers: dict[str, str], expected: int) -> str:
    """The response must be what the load test assumes (a redirect to the login is not); returns its ETag."""
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.build_opener(_NoRedirects).open(request, timeout=30)
        status, etag = response.status, response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        status, etag = error.code, error.headers.get("ETag", "")
    if status != expected:
        sys.exit(f"{url} answered {status}, expected {expected}")
    return etag


def run_wrk(wrk: str, url: str, headers: dict[str, str], seconds: int, connections: int, script: Path) -> dict:
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next((line for line in output.splitlines() if line.startswith("RESULT")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{output}")
    requests, duration, p50, p95, bad_status, errors = (int(v) for v in line.split()[1:])
    return {"requests": requests, "rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000,
            "bad": bad_status + errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk runs against each URL")
    parser.add_argument("--connections", type=int, default=6, help="open connections wrk keeps busy")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (the Procfile's default)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://…")
    wrk = ensure_wrk()
    # One key for this process and gunicorn: the session made here must be valid there.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    setup = prepare()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    base = f"http://127.0.0.1:{port}"
    cookie = {"Cookie": f"{setup['cookie_name']}={setup['session']}"}
    process = start_gunicorn(port, args.workers, workdir / "gunicorn.log")
    try:
        mine_feed = f"{base}/kalender/{setup['mine']}.ics"
        forum_feed = f"{base}/kalender/{setup['forum']}.ics"
        cases = [
            ("Mine opgaver (session cookie)", f"{base}/mine-opgaver/", cookie, 200),
            ("Feed, Mine opgaver: 200", mine_feed, {}, 200),
            ("Feed, Mine opgaver: If-None-Match → 304", mine_feed, {"If-None-Match": check(mine_feed, {}, 200)}, 304),
            ("Feed, a forum: 200", forum_feed, {}, 200),
            ("Feed, a forum: If-None-Match → 304", forum_feed, {"If-None-Match": check(forum_feed, {}, 200)}, 304),
        ]
        load = os.getloadavg()
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; wrk: {args.connections} connections, "
              f"{args.seconds} s per URL; load average {load[0]:.2f} on {os.cpu_count()} cores\n")
        print(f"{'':<42} {'req/s':>7} {'median':>9} {'p95':>9} {'CPU/req':>9} {'errors':>7}")
        for label, url, headers, expected in cases:
            check(url, headers, expected)
            cpu_before = worker_cpu_seconds(process.pid)
            result = run_wrk(wrk, url, headers, args.seconds, args.connections, script)
            cpu = (worker_cpu_seconds(process.pid) - cpu_before) / max(result["requests"], 1) * 1000
            print(f"{label:<42} {result['rps']:7.1f} {result['p50']:7.1f}ms {result['p95']:7.1f}ms "
                  f"{cpu:7.1f}ms {result['bad']:7d}", flush=True)
        load = os.getloadavg()
        print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
