#!/usr/bin/env python3
"""A fake of the kart publisher API for bench/run-pull-bench.sh.

GET /v1/races?since=<timestamp>&cursor=<n> answers {"races": [...], "next": "<n>"} with races
finished after `since`, oldest first, PAGE_SIZE at a time; the last page has no "next". Race i
finished at 2026-01-02T00:00:00Z plus i seconds. Usage: pull-api.py PORT ITEMS PAGE_SIZE
"""
import json
import sys
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, ITEMS, PAGE_SIZE = (int(arg) for arg in sys.argv[1:4])
START = datetime(2026, 1, 2, tzinfo=timezone.utc)
TRACKS = ["moo-moo-meadows", "rainbow-road", "koopa-beach"]


def finished_at(i):
    return (START + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")


def race(i):
    return {"raceId": f"race-{i}", "track": TRACKS[i % 3], "finishedAt": finished_at(i),
            "podium": [f"racer-{i % 97}", f"racer-{i % 89}", f"racer-{i % 83}"]}


class Races(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path != "/v1/races":
            self.send_error(404)
            return
        since = query.get("since", [""])[0]
        first = 0
        if since:
            since_time = datetime.fromisoformat(since.replace("Z", "+00:00"))
            first = max(0, int((since_time - START).total_seconds()) + 1)
        offset = first + int(query.get("cursor", ["0"])[0])
        end = min(ITEMS, offset + PAGE_SIZE)
        body = {"races": [race(i) for i in range(offset, end)]}
        if end < ITEMS:
            body["next"] = str(end - first)
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Races).serve_forever()
