#!/usr/bin/env python3
"""Which code a process's CPU goes to, from a JFR recording: each execution sample counted once, for
the library (or gamewire part) of the frame nearest the top of its stack that one of the owners
below matches, so the shares add up to 100 %. A JDK frame (a HashMap look-up, a String built)
counts for the code that called it. Where bench/jfr-share.py asks "how much of the time is under
this method", this asks "whose code is it".

  jfr print --events jdk.ExecutionSample --stack-depth 100 gamewire.jfr > samples.txt
  bench/jfr-owners.py samples.txt [--threads REGEX] [--skip REGEX] [--us-per-event US]

--threads keeps the samples of threads whose name matches (default: all), --skip drops those whose
name matches (e.g. start-up and timers: 'main|Quartz|title-reload'), --us-per-event turns each
share into microseconds per event (the process's CPU per event, which the bench scripts print;
JIT and GC threads are not sampled, so this spreads their share over the rest).

Exit status: 0 with a table, 1 when no sample is left, 2 on a usage error.
"""
import argparse
import collections
import importlib.util
import os
import re
import sys

# in order: the first owner whose pattern a frame matches owns it
OWNERS = [
    ('admission: API key, routing key, payload checks',
     r'io\.gamewire\.(ingest\.(EventAdmission|JsonPayloads|LocalKeyBuckets|BusGateway\.admit)|titles\.ApiKeyRing)'),
    ('GWP envelope', r'io\.gamewire\.protocol\.'),
    ('RabbitMQ client: publish, confirms', r'com\.rabbitmq\.client\.'),
    ('JSON (Jackson)', r'com\.fasterxml\.jackson\.'),
    ('metrics (Micrometer)', r'io\.micrometer\.|\.micrometer\.'),
    ('Camel: exchange, route, completion', r'org\.apache\.camel\.'),
    ('Vert.x web: router and its handlers', r'io\.vertx\.ext\.web\.'),
    ('HTTP and TCP: Vert.x core, Netty', r'io\.vertx\.core\.|io\.netty\.'),
    ('gamewire, other', r'io\.gamewire\.'),
]


def jfr_share():
    """bench/jfr-share.py as a module: its parser of `jfr print` output."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'jfr-share.py')
    spec = importlib.util.spec_from_file_location('jfr_share', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def owner(frames):
    for frame in frames:
        for name, pattern in OWNERS:
            if re.search(pattern, frame):
                return name
    return 'JDK and other'


def main():
    parser = argparse.ArgumentParser(description='Shares of a JFR recording\'s samples by the code that owns them.')
    parser.add_argument('samples', help='the output of jfr print --events jdk.ExecutionSample --stack-depth 100')
    parser.add_argument('--threads', default='', help='only threads whose name matches this regular expression')
    parser.add_argument('--skip', default='', help='leave out threads whose name matches this regular expression')
    parser.add_argument('--us-per-event', type=float, help='the process\'s CPU per event, to print microseconds')
    args = parser.parse_args()
    try:
        keep, skip = re.compile(args.threads), re.compile(args.skip) if args.skip else None
    except re.error as e:
        print(f'jfr-owners: not a regular expression: {e}', file=sys.stderr)
        return 2
    try:
        samples = list(jfr_share().samples(args.samples))
    except OSError as e:
        print(f'jfr-owners: cannot read {args.samples}: {e}', file=sys.stderr)
        return 2
    counts, total = collections.Counter(), 0
    for thread, frames in samples:
        if not keep.search(thread) or (skip and skip.search(thread)):
            continue
        total += 1
        counts[owner(frames)] += 1
    if total == 0:
        print('jfr-owners: no sample of a matching thread', file=sys.stderr)
        return 1
    print(f'{total} samples')
    for name, count in counts.most_common():
        share = count * 100 / total
        us = f'  {share * args.us_per_event / 100:6.1f} µs' if args.us_per_event else ''
        print(f'{share:5.1f} %{us}  {name}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
