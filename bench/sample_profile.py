"""A small sampling profiler (SIGPROF every 0.5 ms of CPU) for one page, bench/run.py's env.

    .venv/bin/python bench/sample_profile.py [--url /families/] [--user caseworker]
        [--requests 400] [--lines 60] [--match substring]

cProfile's per-call cost inflates template code (many small calls) about threefold; a
sampler does not. Prints each function's inclusive share of the samples (a function
counted once per sample however deep it recurses) and its own (top-of-stack) share.
"""

import argparse
import collections
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

inclusive = collections.Counter()
own = collections.Counter()
samples = 0
UNDER = ""


def label(code):
    name = code.co_filename
    for marker in ("site-packages/", "/speed/", "lib/python3.13/"):
        if marker in name:
            name = name.split(marker, 1)[1]
            break
    return f"{name}:{code.co_firstlineno}({code.co_name})"


def handler(_signum, frame):
    global samples
    stack = []
    while frame is not None:
        stack.append(label(frame.f_code))
        frame = frame.f_back
    if UNDER and not any(UNDER in key for key in stack):
        return
    samples += 1
    seen = set()
    first = True
    for key in stack:
        if first:
            own[key] += 1
            first = False
        if key not in seen:
            seen.add(key)
            inclusive[key] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="/families/")
    parser.add_argument("--user", default="caseworker")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--match", default="")
    parser.add_argument("--under", default="", help="only samples inside this function")
    args = parser.parse_args()
    global UNDER
    UNDER = args.under
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(5):
        client.get(args.url)
    signal.signal(signal.SIGPROF, handler)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    for _ in range(args.requests):
        client.get(args.url)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    print(f"{samples} samples")
    print("inclusive:")
    for key, count in inclusive.most_common():
        if args.match in key:
            print(f"  {100 * count / samples:5.1f}%  {key}")
            args.lines -= 1
            if args.lines <= 0:
                break
    print("own:")
    for key, count in own.most_common(30):
        print(f"  {100 * count / samples:5.1f}%  {key}")


if __name__ == "__main__":
    main()
