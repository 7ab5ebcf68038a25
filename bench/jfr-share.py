#!/usr/bin/env python3
"""Where a thread's CPU goes, from a JFR recording: the share of the thread's execution samples whose
stack holds each pattern (a method, a class, a package; regular expressions).

  jfr print --events jdk.ExecutionSample --stack-depth 100 gamewire.jfr > samples.txt
  bench/jfr-share.py samples.txt 'not.a.Spring.bean' 'createCopy' 'EventHelper' 'GwpDataFormat'

The first argument after the file picks the threads by name (a regular expression), e.g. the
consumers' listener threads ('gw-listener', before 2026-12-06 'not.a.Spring.bean'), the sink writers ('gw-sink-writer'). Shares are
inclusive: a sample counts for every pattern its stack holds, so they need not add up to 100 %.
A share is a fraction of that thread's samples; multiply by the thread's CPU per event (the storage
bench prints it) to get microseconds.

Exit status: 0 with a table, 1 when no sample is of a matching thread, 2 on a usage error (too few
arguments, a file that cannot be read, a pattern that is not a regular expression).
"""
import re
import sys


def samples(path):
    """(thread, [frames]) per jdk.ExecutionSample of `jfr print`'s text output."""
    thread, frames, inside, in_stack = '', [], False, False
    with open(path, encoding='utf-8') as lines:
        for line in lines:
            text = line.strip()
            if text.startswith('jdk.ExecutionSample'):
                thread, frames, inside, in_stack = '', [], True, False
            elif not inside:
                continue
            elif text.startswith('sampledThread = '):
                thread = text[len('sampledThread = '):]
            elif text.startswith('stackTrace = ['):
                in_stack = True
            elif in_stack and text == ']':
                in_stack = False
            elif in_stack:
                frames.append(text)  # every frame, with or without a line number ("..." when cut)
            elif text == '}':
                inside = False
                yield thread, frames


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        path, threads, patterns = argv[0], re.compile(argv[1]), [re.compile(p) for p in argv[2:]]
    except re.error as e:
        print(f'jfr-share: not a regular expression: {e.pattern!r}: {e}', file=sys.stderr)
        return 2
    total, hits = 0, [0] * len(patterns)
    try:
        for thread, frames in samples(path):
            if not threads.search(thread):
                continue
            total += 1
            for i, pattern in enumerate(patterns):
                if any(pattern.search(frame) for frame in frames):
                    hits[i] += 1
    except OSError as e:
        print(f'jfr-share: cannot read {path}: {e.strerror}', file=sys.stderr)
        return 2
    print(f'{total} samples of threads matching {argv[1]!r}')
    for pattern, hit in zip(argv[2:], hits):
        print(f'{100.0 * hit / max(total, 1):5.1f} %  {pattern}')
    return 0 if total else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
