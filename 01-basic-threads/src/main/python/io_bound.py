"""Why use threading? For I/O-bound work: N requests to a server that is slow to answer.

The lesson: "Use threading for I/O-bound tasks (e.g., reading/writing files, network requests)."
A local HTTP server (127.0.0.1 only) answers each request after a delay, as a slow remote service
would. We fetch N URLs one after the other, with a threading.Thread per request, and with a
concurrent.futures.ThreadPoolExecutor. Run:

    python3 io_bound.py                              # 20 requests, 200 ms each
    python3 io_bound.py --requests 50 --delay-ms 50
    python3 io_bound.py --raw                        # key=value lines, read by the Java benchmark

A thread waiting for the network has released the GIL, so the waits overlap: threads help here,
even though only one thread at a time runs Python bytecode. Java's twin is Basics_04_IoBound.
"""
import argparse
import concurrent.futures
import http.server
import platform
import sys
import threading
import time
import urllib.request


class SlowHandler(http.server.BaseHTTPRequestHandler):
    """Answers GET /item/<n> with "item <n>" after the server's delay; counts requests held at once."""

    def do_GET(self):
        server = self.server
        with server.lock:
            server.held += 1
            server.max_held = max(server.max_held, server.held)
        try:
            time.sleep(server.delay)            # the slow part of a real service
        finally:
            with server.lock:
                server.held -= 1                # before answering: the client may send its next request at once
        number = self.path[len("/item/"):]
        if not (self.path.startswith("/item/") and number.isdigit()):
            self.send_error(404, "no such item: " + self.path)
            return
        body = f"item {number}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with server.lock:
            server.answered += 1

    def log_message(self, format, *args):       # quiet: no line per request on stderr
        pass


class SlowServer(http.server.ThreadingHTTPServer):
    """A thread per connection, like the Java demo's server; never the bottleneck."""
    daemon_threads = True
    request_queue_size = 1000   # the default, 5, would drop part of a burst of connections (retried 1 s later)

    def __init__(self, delay):
        super().__init__(("127.0.0.1", 0), SlowHandler)
        self.delay = delay
        self.lock = threading.Lock()
        self.held = self.max_held = self.answered = 0

    def reset_counts(self):
        with self.lock:
            self.max_held = self.answered = 0


def fetch(url):
    """One request: send it, wait for the answer, return its body."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode()


def sequential(urls):
    """The program as written without threads: each request waits for the one before it."""
    return [fetch(url) for url in urls]


def thread_per_request(urls):
    """threading.Thread per request: start them all, then join them all (the lesson's pattern)."""
    results = [None] * len(urls)
    errors = [None] * len(urls)

    def worker(i):
        try:
            results[i] = fetch(urls[i])
        except Exception as e:              # keep it: every request is accounted for
            errors[i] = e

    threads = [threading.Thread(target=worker, args=(i,), name=f"request-{i + 1}") for i in range(len(urls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [i for i, e in enumerate(errors) if e is not None]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(urls)} requests failed; the first, request {failed[0] + 1}: "
                           f"{errors[failed[0]]}")
    return results


def thread_pool(urls):
    """concurrent.futures.ThreadPoolExecutor with a worker per request; map() keeps request order.

    The default max_workers is min(32, cpu_count + 4): 6 on a 2-core machine, which would send
    only 6 requests at a time. Waiting threads need no core, so we size the pool by the requests.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(urls)) as pool:
        return list(pool.map(fetch, urls))


MODES = [("sequential", "one after the other", sequential),
         ("threads", "a threading.Thread per request", thread_per_request),
         ("pool", "ThreadPoolExecutor(max_workers=N)", thread_pool)]


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--requests", type=int, default=20, help="how many requests (1-1000, default 20)")
    parser.add_argument("--delay-ms", type=int, default=200, help="server delay per request, ms (0-10000, default 200)")
    parser.add_argument("--modes", default="sequential,threads,pool",
                        help="comma-separated: sequential, threads, pool (default all three)")
    parser.add_argument("--raw", action="store_true", help="print key=value lines only")
    args = parser.parse_args()
    chosen = [m.strip() for m in args.modes.split(",")]
    if not 1 <= args.requests <= 1000 or not 0 <= args.delay_ms <= 10000:
        parser.error("--requests must be 1-1000 and --delay-ms 0-10000")
    if any(name not in [m[0] for m in MODES] for name in chosen):
        parser.error("--modes takes sequential, threads, pool; not " + args.modes)

    server = SlowServer(args.delay_ms / 1000)
    serving = threading.Thread(target=server.serve_forever, name="server")
    serving.start()
    try:
        port = server.server_address[1]
        urls = [f"http://127.0.0.1:{port}/item/{i}" for i in range(1, args.requests + 1)]
        if args.raw:
            print(f"python={platform.python_version()}")
        else:
            print(f"{args.requests} requests to http://127.0.0.1:{port}/item/1..{args.requests}, each answered after "
                  f"{args.delay_ms} ms (Python {platform.python_version()})")
        elapsed = {}
        for name, label, run in MODES:
            if name not in chosen:
                continue
            server.reset_counts()
            start = time.perf_counter()
            bodies = run(urls)
            elapsed[name] = time.perf_counter() - start
            right = sum(1 for i, body in enumerate(bodies) if body == f"item {i + 1}")
            if args.raw:
                print(f"{name}_s={elapsed[name]:.6f}")
                print(f"{name}_answered={right}")
                print(f"{name}_max_held={server.max_held}")
            else:
                faster = (f", speed-up {elapsed['sequential'] / elapsed[name]:.1f}x"
                          if name != "sequential" and "sequential" in elapsed else "")
                print(f"{label:<34} {right}/{args.requests} answered in {elapsed[name] * 1000:5.0f} ms, "
                      f"at most {server.max_held:2d} held by the server at once{faster}")
            sys.stdout.flush()
    finally:
        server.shutdown()        # stops serve_forever
        serving.join()
        server.server_close()


if __name__ == "__main__":
    main()
