#!/usr/bin/env python3
"""The broker's work per event by kind of process, from snapshots of bench/broker-reductions.sh.

  bench/broker-reductions.py NAME:BEFORE:AFTER:EVENTS [NAME:BEFORE:AFTER:EVENTS ...]

Each argument is one load: its name (a column of the table), the snapshot taken before and after
some seconds of it, and the events the broker took in those seconds (the load's rate times the
seconds between the snapshots); no part may hold a colon. Prints the reductions per event of every
kind of process that did at least 0.5 per event in some column, the largest first, one column per
load, and each load's total (of every kind). A process's kind
is its registered name when it has one (ra_log_wal), else its initial call ({rabbit_channel,init,1});
the Ra servers of all quorum queues are one kind, whatever their queue. Processes that started
after the first snapshot count from zero; those that ended count for nothing.

Exit status: 0 with a table, 2 on a usage error (a malformed argument, a name given twice, a file
that cannot be read or holds no process, no events).
"""
import collections
import math
import re
import sys


def snapshot(path):
    """{pid: (reductions, kind)} of one bench/broker-reductions.sh file."""
    processes = {}
    with open(path, encoding='utf-8') as lines:
        for line in lines:
            parts = line.split(' ', 3)
            if len(parts) < 4 or not parts[1].isdigit():
                continue
            pid, reductions, name, call = parts[0], int(parts[1]), parts[2], re.sub(r'\s+', '', parts[3])
            if call.startswith('{ra_server_proc,'):
                kind = 'ra_server_proc (quorum queues)'
            elif name not in ('[]', 'none'):
                kind = name
            else:
                kind = call
            processes[pid] = (reductions, kind)
    return processes


def per_event(before, after, events):
    """{kind: reductions per event} between two snapshots."""
    work = collections.Counter()
    for pid, (reductions, kind) in after.items():
        work[kind] += reductions - before.get(pid, (0, kind))[0]
    return {kind: done / events for kind, done in work.items()}


def main(args):
    if not args or args[0] in ('-h', '--help'):
        print(__doc__.strip(), file=sys.stdout if args else sys.stderr)
        return 0 if args else 2
    columns = {}
    for arg in args:
        parts = arg.split(':')
        try:
            name, before, after, events = parts[0], parts[1], parts[2], float(parts[3])
            if len(parts) != 4 or not math.isfinite(events) or events <= 0:
                raise ValueError
        except (IndexError, ValueError):
            print(f'broker-reductions: "{arg}" is not NAME:BEFORE:AFTER:EVENTS with EVENTS above 0', file=sys.stderr)
            return 2
        if name in columns:
            print(f'broker-reductions: the name "{name}" is given twice', file=sys.stderr)
            return 2
        try:
            first, second = snapshot(before), snapshot(after)
        except (OSError, UnicodeDecodeError) as e:
            print(f'broker-reductions: {e}', file=sys.stderr)
            return 2
        for path, processes in ((before, first), (after, second)):
            if not processes:
                print(f'broker-reductions: {path} holds no process (not a bench/broker-reductions.sh snapshot?)',
                      file=sys.stderr)
                return 2
        columns[name] = per_event(first, second, events)
    kinds = sorted({kind for column in columns.values() for kind in column},
                   key=lambda kind: -max(column.get(kind, 0) for column in columns.values()))
    width = max(12, *(len(name) for name in columns))
    print(f'{"reductions per event, by kind of process":<48}' + ''.join(f' {name:>{width}}' for name in columns))
    for kind in kinds:
        if max(column.get(kind, 0) for column in columns.values()) < 0.5:
            continue
        print(f'{kind[:48]:<48}' + ''.join(f' {column.get(kind, 0):>{width}.1f}' for column in columns.values()))
    print(f'{"total":<48}' + ''.join(f' {sum(column.values()):>{width}.1f}' for column in columns.values()))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
