"""The convoy effect (bpo-7946, 2010): an I/O-bound thread beside a CPU-bound one.

"Use threading for I/O-bound tasks," says the lesson. An I/O-bound thread gives up the GIL while
it waits; but when its data arrives it must take the GIL back, and a CPU-bound thread holds it: the
I/O thread waits up to a switch interval (5 ms) before it may even ask. Run:

    python3 convoy.py --neighbour none         # the I/O thread alone
    python3 convoy.py --neighbour thread       # beside a CPU-bound Python thread
    python3 convoy.py --neighbour native       # beside CPU-bound work that releases the GIL

The "I/O" is time.sleep (it releases the GIL as a socket read would); each request is then handled
by a little bytecode. "native" hashes a large buffer with hashlib, which releases the GIL while it
hashes. Prints key=value lines: requests, elapsed_s, requests_per_s.
"""
import argparse
import hashlib
import threading
import time


def handle(n):
    while n > 0:
        n -= 1


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--neighbour", choices=["none", "thread", "native"], required=True)
    parser.add_argument("--window", type=float, default=1.0, help="seconds to serve requests (default 1.0)")
    parser.add_argument("--io", type=float, default=0.0001, help="blocking I/O per request, seconds (default 0.0001)")
    args = parser.parse_args()
    if args.window <= 0 or args.io < 0:
        parser.error("--window must be positive and --io not negative")

    stop = threading.Event()

    def cpu_bound():
        while not stop.is_set():
            handle(10_000)

    block = bytes(1 << 20)

    def native():
        while not stop.is_set():
            hashlib.sha256(block).digest()   # releases the GIL while hashing

    neighbour = {"none": None, "thread": cpu_bound, "native": native}[args.neighbour]
    other = threading.Thread(target=neighbour, name="cpu-thread") if neighbour else None
    if other:
        other.start()
    requests = 0
    start = time.perf_counter()
    end = start + args.window
    try:
        while time.perf_counter() < end:
            time.sleep(args.io)   # recv(): blocks without the GIL
            handle(100)           # handle the request: needs the GIL
            requests += 1
    finally:
        stop.set()
        if other:
            other.join()
    elapsed = time.perf_counter() - start
    print(f"requests={requests}")
    print(f"elapsed_s={elapsed:.6f}")
    print(f"requests_per_s={requests / elapsed:.1f}")


if __name__ == "__main__":
    main()
