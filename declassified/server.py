"""The web server of `declassified serve`: waitress in a few processes sharing one socket.

    python -m declassified.server --host 127.0.0.1 --port 8000 [--processes N] [--threads N]

Why waitress (docs/performance.md, "Serving"): its event loop reads each request whole and
writes each response from a buffer, so a slow or silent client costs a socket, not a worker
thread; the application threads only ever run Django. One process cannot use more than one
core (the GIL), so the supervisor here binds the socket once, forks --processes workers that
accept on it, restarts a worker that dies, and stops them all on SIGTERM or Ctrl-C. Workers
die with the supervisor (declassified.lifeline), so a kill -9 leaves nothing behind.

After binding, before the workers take requests, stale bulk data dumps are handed to a
background process (harvest.dumps.start_generation_process): serving never waits for them.
The supervisor also starts one `declassified worker` (unless --no-worker), at low priority,
which runs the queued jobs (page rendering, OCR, imports) and, like the server processes, is
restarted when it dies, stopped with the server and dies with it.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time

log = logging.getLogger("declassified.server")
access = logging.getLogger("declassified.access")
RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="declassified serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--connection-limit", type=int, required=True)
    parser.add_argument("--channel-timeout", type=int, required=True)
    parser.add_argument("--no-dumps", action="store_true")
    parser.add_argument("--no-worker", action="store_true")
    return parser.parse_args(argv)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    listener.setblocking(False)
    return listener


class AccessLog:
    """One line per request on standard output, as gunicorn's access log was: client,
    request line, status and the time to the response's start."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        status = ["-"]

        def recording_start_response(line, headers, exc_info=None):
            status[0] = line.split(" ", 1)[0]
            return start_response(line, headers, exc_info)

        try:
            return self.application(environ, recording_start_response)
        finally:
            query = environ.get("QUERY_STRING")
            path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            access.info('%s "%s %s %s" %s %.0f ms', environ.get("REMOTE_ADDR", "-"),
                        environ.get("REQUEST_METHOD"), path, environ.get("SERVER_PROTOCOL"),
                        status[0], (time.monotonic() - started) * 1000)


def serve_in_this_process(listener: socket.socket, args: argparse.Namespace, parent: int) -> None:
    """A worker: waitress on the shared socket until told to stop."""
    from django.conf import settings
    from waitress import serve  # type: ignore[import-untyped]  # typeshed has stubs; not worth a dependency

    from declassified.lifeline import die_with_parent
    from declassified.wsgi import application  # sets Django up

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor decides (it gets Ctrl-C too)
    # SystemExit in the event loop closes the server: requests being answered get a few
    # seconds to finish (waitress's task dispatcher), then serve() returns.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    serve(
        AccessLog(application), sockets=[listener], threads=args.threads,
        connection_limit=args.connection_limit, channel_timeout=args.channel_timeout,
        # A body bigger than the largest upload allowed (plus its form's envelope) is refused
        # with 413 by the server itself, before it is read or reaches Django.
        max_request_body_size=(settings.IMPORT_MAX_UPLOAD_MB + 1) * 1024 * 1024,
        asyncore_use_poll=True,  # select() stops at file descriptor 1024
        ident="Declassified", expose_tracebacks=False, _quiet=True,
    )


class Supervisor:
    def __init__(self, listener: socket.socket, args: argparse.Namespace) -> None:
        self.listener, self.args = listener, args
        self.workers: set[int] = set()
        self.job_worker: int | None = None
        self.stopping = False

    def start_worker(self) -> None:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                serve_in_this_process(self.listener, self.args, parent=os.getppid())
                code = 0
            finally:
                os._exit(code)  # never back into the supervisor's code
        self.workers.add(pid)

    def start_job_worker(self) -> None:
        """`declassified worker` as a child at low priority (OCR must not slow the pages
        served), told the supervisor's process ID so that it dies with it."""
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor decides
                os.nice(10)
                os.execv(sys.executable, [sys.executable, "-m", "declassified.cli", "worker",
                                          "--parent", str(parent)])
            finally:
                os._exit(1)  # exec failed; never back into the supervisor's code
        self.job_worker = pid

    def run(self) -> int:
        for _ in range(self.args.processes):
            self.start_worker()
        if not self.args.no_worker:
            self.start_job_worker()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while self.workers:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid == self.job_worker:
                self.job_worker = None
                if not self.stopping:
                    log.warning("job worker %s ended (status %s); starting another", pid, status)
                    time.sleep(RESTART_PAUSE)
                    self.start_job_worker()
                continue
            if pid not in self.workers:
                continue
            self.workers.discard(pid)
            if not self.stopping:
                log.warning("server process %s ended (status %s); starting another", pid, status)
                time.sleep(RESTART_PAUSE)
                self.start_worker()
        return 0

    def stop(self, *_signal) -> None:
        self.stopping = True
        if self.job_worker is not None:  # a job cut short is resumed by the next worker
            try:
                os.kill(self.job_worker, signal.SIGTERM)
            except ProcessLookupError:
                self.job_worker = None
        for pid in list(self.workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self.workers.discard(pid)


def show_access_log_and_restarts() -> None:
    """After Django's logging settings (warnings only): the access log on standard output,
    and this module's own messages (a server process restarted)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False
    log.setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declassified.settings")
    # Jobs are taken from the queue by `declassified worker` processes (this server's own, or,
    # with --no-worker, those of other machines), never by threads of the web processes.
    os.environ.setdefault("DECLASSIFIED_JOBS_IN_WEB_PROCESS", "0")
    import django

    django.setup()
    show_access_log_and_restarts()
    try:
        listener = bind(args.host, args.port)
    except OSError as error:
        sys.stderr.write(f"declassified serve: cannot listen on {args.host}:{args.port}: "
                         f"{error.strerror or error}\n")
        return 1
    if not args.no_dumps:
        from declassified.harvest.dumps import start_generation_process

        try:
            start_generation_process()
        except (OSError, subprocess.SubprocessError) as error:  # the site serves; dumps wait
            log.warning("could not start regenerating the bulk data dumps: %s", error)
    import declassified.wsgi  # noqa: F401  (loaded once here, shared by the forked workers)

    return Supervisor(listener, args).run()


if __name__ == "__main__":
    raise SystemExit(main())
