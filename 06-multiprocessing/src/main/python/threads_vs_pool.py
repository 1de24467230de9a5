"""The lesson's last advice, measured: "Use threading for I/O-bound tasks. Use multiprocessing
for CPU-bound tasks."

I/O-bound (with --io-url): N GETs to a server that answers after a delay, done sequentially, on N
threads, and on a multiprocessing Pool(N) (fork; end to end, and a warm pool's map alone).
CPU-bound: count_primes(limit) twice, done sequentially, on 2 threads, and on a multiprocessing
Pool(2) (fork and spawn start methods, end to end; and a warm fork pool's map alone); plus what a
pool costs: the time from Pool(2) to its first result, and the round trip of Pool.apply on a
trivial function.

Run:     python3 06-multiprocessing/src/main/python/threads_vs_pool.py            (a summary)
         python3 06-multiprocessing/src/main/python/threads_vs_pool.py --raw      (one line per sample)
The Java benchmark (dev.threadlab.multiprocessing.bench.Multiprocessing_04_ThreadsVersusProcesses)
runs it with --raw and --io-url pointing at its own slow loopback server, and prints its rows
beside Java's.
"""

import argparse
import multiprocessing
import platform
import statistics
import sys
import threading
import time
import urllib.request


def count_primes(limit):
    """How many primes are below limit, by trial division: pure Python bytecode, CPU-bound."""
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def echo(x):
    return x


def fetch(url):
    """One GET: I/O-bound, the thread waits for the server (and releases the GIL meanwhile)."""
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read().decode()


def io_sequential(urls):
    return [fetch(url) for url in urls]


def io_threads(urls):
    results = [None] * len(urls)

    def work(i):
        results[i] = fetch(urls[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def io_pool(urls):
    with multiprocessing.get_context("fork").Pool(len(urls)) as pool:
        return pool.map(fetch, urls, chunksize=1)


def sequential(limit):
    return [count_primes(limit), count_primes(limit)]


def two_threads(limit):
    results = [None, None]

    def work(i):
        results[i] = count_primes(limit)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def pool_of_two(limit, method):
    with multiprocessing.get_context(method).Pool(2) as pool:
        return pool.map(count_primes, [limit, limit], chunksize=1)


def start_to_first_result(method):
    started = time.perf_counter()
    pool = multiprocessing.get_context(method).Pool(2)
    pool.apply(echo, (1,))
    elapsed = time.perf_counter() - started
    pool.terminate()
    pool.join()
    return elapsed


def apply_round_trips(count):
    with multiprocessing.get_context("fork").Pool(1) as pool:
        for i in range(min(count, 1000)):  # warm-up
            pool.apply(echo, (i,))
        samples = []
        for i in range(count):
            started = time.perf_counter()
            pool.apply(echo, (i,))
            samples.append(time.perf_counter() - started)
        return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=150_000, help="count primes below this, twice (default 150000)")
    parser.add_argument("--reps", type=int, default=5, help="measured repetitions (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured repetitions first (default 1)")
    parser.add_argument("--round-trips", type=int, default=5000, help="Pool.apply calls timed (default 5000)")
    parser.add_argument("--io-url", help="I/O-bound rows: GET this URL + 0, 1, ... (a server that answers after a delay)")
    parser.add_argument("--io-requests", type=int, default=8, help="I/O-bound: requests, threads and processes (default 8)")
    parser.add_argument("--raw", action="store_true", help="print one 'sample <row> <seconds>' line per sample")
    args = parser.parse_args()
    if args.limit < 0 or args.reps < 1 or args.warmup < 0 or args.round_trips < 1 or args.io_requests < 1:
        parser.error("--limit must be >= 0, --reps >= 1, --warmup >= 0, --round-trips >= 1, --io-requests >= 1")

    samples = {}

    def record(row, seconds):
        samples.setdefault(row, []).append(seconds)
        if args.raw:
            print(f"sample {row} {seconds:.9f}", flush=True)

    if args.raw:
        print(f"info python {platform.python_version()}", flush=True)
    def measure(rep, row, work, expected):
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
        if result != expected:
            sys.exit(f"{row} computed {result}, expected {expected}")
        if rep >= args.warmup:
            record(row, elapsed)

    if args.io_url:
        urls = [f"{args.io_url}{i}" for i in range(args.io_requests)]
        bodies = [url[url.index("/", len("http://")):] for url in urls]  # the server answers with the path
        with multiprocessing.get_context("fork").Pool(args.io_requests) as warm:
            warm.map(fetch, urls, chunksize=1)
            for rep in range(args.warmup + args.reps):
                measure(rep, "io-sequential", lambda: io_sequential(urls), bodies)
                measure(rep, "io-threads", lambda: io_threads(urls), bodies)
                measure(rep, "io-pool-fork", lambda: io_pool(urls), bodies)
                measure(rep, "io-pool-warm", lambda: warm.map(fetch, urls, chunksize=1), bodies)

    expected = sequential(args.limit)
    with multiprocessing.get_context("fork").Pool(2) as warm:
        warm.map(count_primes, [args.limit, args.limit], chunksize=1)
        for rep in range(args.warmup + args.reps):
            measure(rep, "sequential", lambda: sequential(args.limit), expected)
            measure(rep, "threads", lambda: two_threads(args.limit), expected)
            measure(rep, "pool-fork", lambda: pool_of_two(args.limit, "fork"), expected)
            measure(rep, "pool-spawn", lambda: pool_of_two(args.limit, "spawn"), expected)
            measure(rep, "pool-warm", lambda: warm.map(count_primes, [args.limit, args.limit], chunksize=1), expected)
            for method in ("fork", "spawn"):
                elapsed = start_to_first_result(method)
                if rep >= args.warmup:
                    record(f"start-{method}", elapsed)
    for seconds in apply_round_trips(args.round_trips):
        record("apply", seconds)

    if not args.raw:
        print(f"Python {platform.python_version()}: 2 x count_primes({args.limit}) = {expected}")
        for row, values in samples.items():
            median = statistics.median(values)
            base = statistics.median(samples["io-sequential" if row.startswith("io-") else "sequential"])
            ratio = f"  {base / median:.2f}x vs sequential" if "threads" in row or "pool-" in row else ""
            print(f"  {row:<12} median {median * 1000:9.3f} ms  (min {min(values) * 1000:.3f}, "
                  f"max {max(values) * 1000:.3f}, n={len(values)}){ratio}")


if __name__ == "__main__":
    main()
