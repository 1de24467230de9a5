"""What CPython's multiprocessing.Pool does when a process dies: the twins of the Java module's
Multiprocessing_03_CrashStaysInOneWorker (a worker killed mid-task) and OrphanTest (a parent killed mid-task).

Run: python3 06-multiprocessing/src/main/python/pool_failures.py   (about 15 seconds, Linux)
It kills the orphan it makes before it ends.
"""

import multiprocessing
import os
import signal
import subprocess
import sys
import time


def slow_square(x):
    time.sleep(0.5)
    return x * x


def block(_):
    time.sleep(3600)


def a_worker_killed_mid_task():
    with multiprocessing.get_context("fork").Pool(2) as pool:
        result = pool.map_async(slow_square, range(8), chunksize=1)
        time.sleep(0.2)  # both workers are inside slow_square now
        victim = pool._pool[0].pid
        os.kill(victim, signal.SIGKILL)
        print(f"killed worker {victim} mid-task (kill -9)")
        try:
            print("map returned", result.get(timeout=5))
        except multiprocessing.TimeoutError:
            print("map has not returned 5 s later: the killed worker's task is lost and map would wait forever;"
                  f" the pool did replace the worker: {[p.pid for p in pool._pool]}")


def a_parent_killed_mid_task(method):
    parent = subprocess.Popen([sys.executable, __file__, "--be-a-parent", method], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    parent.kill()  # kill -9
    parent.wait()
    time.sleep(3)
    try:
        os.kill(worker, 0)
        print(f"{method}: worker {worker} is still running 3 s after its parent was killed: an orphan (killing it now)")
        os.kill(worker, signal.SIGKILL)
    except ProcessLookupError:
        print(f"{method}: worker {worker} ended with its parent")


def be_a_parent(method):
    pool = multiprocessing.get_context(method).Pool(1)
    pool.apply_async(block, (None,))
    time.sleep(0.5)  # the worker is inside block() now
    print(pool._pool[0].pid, flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--be-a-parent":
        be_a_parent(sys.argv[2])
    elif len(sys.argv) == 1:
        print(f"Python {sys.version.split()[0]}")
        a_worker_killed_mid_task()
        a_parent_killed_mid_task("fork")
        a_parent_killed_mid_task("spawn")
    else:
        sys.exit("usage: pool_failures.py (no arguments)")
