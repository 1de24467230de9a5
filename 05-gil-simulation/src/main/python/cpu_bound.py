"""The lesson's claim, measured: "Only one thread executes Python bytecode at a time, which limits
the performance of CPU-bound tasks in multi-threaded programs."

The same CPU-bound work (the countdown loop from David Beazley's "Understanding the Python GIL")
runs on one thread, or split over two threads started together. Run:

    python3 cpu_bound.py --mode sequential
    python3 cpu_bound.py --mode threads
    python3 cpu_bound.py --mode threads --switch-interval 0.000001

Each run prints key=value lines: elapsed_s, handoffs (times the running thread changed), and, with
threads, each thread's finish time and the finish-time fairness (first finish / last finish).
The Java benchmark (dev.threadlab.gil.Gil_05_Benchmark) runs this file and parses those lines.
"""
import argparse
import sys
import threading
import time

last = None      # the thread that ran the loop most recently
handoffs = 0     # how many times that changed


def countdown(n, me):
    global last, handoffs
    while n > 0:
        n -= 1
        if last != me:   # only one thread runs bytecode at a time, so this sees every GIL hand-off
            if last is not None:
                handoffs += 1
            last = me


def sequential(n):
    start = time.perf_counter()
    countdown(2 * n, "main")
    return time.perf_counter() - start, []


def threads(n):
    start_line = threading.Barrier(3)
    finished = {}

    def worker(name):
        start_line.wait()
        countdown(n, name)
        finished[name] = time.perf_counter()

    workers = [threading.Thread(target=worker, args=(f"worker-{i}",), name=f"worker-{i}") for i in (1, 2)]
    for w in workers:
        w.start()
    start_line.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    ends = sorted(t - start for t in finished.values())
    return ends[-1], ends


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--mode", choices=["sequential", "threads"], required=True)
    parser.add_argument("--n", type=int, default=5_000_000, help="countdown per thread (default 5000000)")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval, in seconds (default: leave CPython's 0.005)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.switch_interval is not None and not args.switch_interval > 0:
        parser.error(f"--switch-interval must be strictly positive (seconds), was {args.switch_interval}")
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    elapsed, ends = sequential(args.n) if args.mode == "sequential" else threads(args.n)
    print(f"python={sys.version.split()[0]}")
    print(f"switch_interval_s={sys.getswitchinterval()}")
    print(f"elapsed_s={elapsed:.6f}")
    print(f"handoffs={handoffs}")
    if ends:
        print(f"finish_s={' '.join(f'{e:.6f}' for e in ends)}")
        print(f"fairness={ends[0] / ends[-1]:.4f}")


if __name__ == "__main__":
    main()
