"""The lesson's last advice, measured: "Use threading for I/O-bound tasks. Use multiprocessing
for CPU-bound tasks."

The same CPU-bound work, count_primes(limit) twice, done sequentially, on 2 threads, and on a
multiprocessing Pool(2) (fork and spawn start methods); plus what a pool costs: the time from
Pool(2) to its first result, and the round trip of Pool.apply on a trivial function.

Run:     python3 06-multiprocessing/src/main/python/threads_vs_pool.py            (a summary)
         python3 06-multiprocessing/src/main/python/threads_vs_pool.py --raw      (one line per sample)
The Java benchmark (dev.threadlab.multiprocessing.bench.Multiprocessing_04_ThreadsVersusProcesses) runs it with --raw and
prints its rows beside Java's.
"""

import argparse
import multiprocessing
import platform
import statistics
import sys
import threading
import time


def count_primes(limit):
    """How many primes are below limit, by trial division: pure Python bytecode, CPU-bound."""
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def echo(x):
    return x


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
    parser.add_argument("--raw", action="store_true", help="print one 'sample <row> <seconds>' line per sample")
    args = parser.parse_args()
    if args.limit < 0 or args.reps < 1 or args.warmup < 0 or args.round_trips < 1:
        parser.error("--limit must be >= 0, --reps >= 1, --warmup >= 0, --round-trips >= 1")

    samples = {}

    def record(row, seconds):
        samples.setdefault(row, []).append(seconds)
        if args.raw:
            print(f"sample {row} {seconds:.9f}", flush=True)

    if args.raw:
        print(f"info python {platform.python_version()}", flush=True)
    expected = sequential(args.limit)
    for rep in range(args.warmup + args.reps):
        for row, work in (("sequential", lambda: sequential(args.limit)),
                          ("threads", lambda: two_threads(args.limit)),
                          ("pool-fork", lambda: pool_of_two(args.limit, "fork")),
                          ("pool-spawn", lambda: pool_of_two(args.limit, "spawn"))):
            started = time.perf_counter()
            result = work()
            elapsed = time.perf_counter() - started
            if result != expected:
                sys.exit(f"{row} computed {result}, expected {expected}")
            if rep >= args.warmup:
                record(row, elapsed)
        for method in ("fork", "spawn"):
            elapsed = start_to_first_result(method)
            if rep >= args.warmup:
                record(f"start-{method}", elapsed)
    for seconds in apply_round_trips(args.round_trips):
        record("apply", seconds)

    if not args.raw:
        base = statistics.median(samples["sequential"])
        print(f"Python {platform.python_version()}: 2 x count_primes({args.limit}) = {expected}")
        for row, values in samples.items():
            median = statistics.median(values)
            ratio = f"  {base / median:.2f}x vs sequential" if row in ("threads", "pool-fork", "pool-spawn") else ""
            print(f"  {row:<12} median {median * 1000:9.3f} ms  (min {min(values) * 1000:.3f}, "
                  f"max {max(values) * 1000:.3f}, n={len(values)}){ratio}")


if __name__ == "__main__":
    main()
