#!/usr/bin/env python3
"""Instructions per request of `kansli serve`, counted by callgrind (issue #20).

Wall-clock figures need a quiet machine; instruction counts do not, so this is
how a change to a hot path is judged on the shared 2-core machine. For each
request kind the server runs under `valgrind --tool=callgrind` on a fresh
copy of the data dir, signs in and registers N + 10 cases (uncounted), then
answers N requests of that kind, counted, on one keep-alive connection, one
at a time (so a write is a group-commit batch of one: the durable path's
whole cost per registration, fsync excepted; register16 sends them from 16
clients at once, so they commit in batches). Instructions / N is the cost
of one request.

    python3 bench/instructions.py [--kansli build/bench/bin/kansli]
        [--data DIR] [--what health,read,register,transition,register16,search,floor]
        [--n 300]
        [--profile DIR]

floor: the bare Poco server (bench/poco_floor.cpp, --floor) answering /health.
--data: a data dir to copy for every run (for example one kept by
`kansli_bench --only none --keep --dir D`, D/large, whose user is bench);
without it an empty one is made. --profile DIR keeps each kind's
callgrind output as DIR/<kind>.callgrind (for callgrind_annotate or
bench/profile_svg.py).
Needs valgrind (Debian's package).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
PASSWORD = "ett-långt-lösenord-för-mätning"
ORG = os.path.join(SOURCE, "samples/nacka/organisation.xml")
CASE = json.dumps({"committee": "SOCN", "kind": "politikerinitiativ",
                   "subject": "Förslag om cykelbana i Nacka centrum", "received": "2020-08-25",
                   "senders": [{"name": "Andreas Falk", "party": "S"}]}, ensure_ascii=False)


def prepare(kansli, template, work):
    if template:
        shutil.copytree(template, work)
        return
    subprocess.run([kansli, "user", "add", "--data-dir", work, "--username", "bench",
                    "--role", "registrator"], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.token = None

    def call(self, method, path, body=None, headers=None, want=200):
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None:
            h["Content-Type"] = "application/json"
            body = body.encode()
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        if r.status != want:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return data


def run(args, what, n, out_file):
    work = tempfile.mkdtemp(prefix="kansli-ir-")
    data = os.path.join(work, "data")
    try:
        prepare(args.kansli, args.data, data)
        floor = what == "floor"  # the bare Poco server (bench/poco_floor.cpp) on /health
        # Instrumented only while the measured requests run (callgrind_control
        # -i on/off): start-up, sign-in (PBKDF2) and warm-up cost nothing.
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               "--callgrind-out-file=" + out_file]
        cmd += ([args.floor] if floor else
                [args.kansli, "serve", "--data-dir", data, "--port", "0", "--quiet", "--org", ORG])
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        port = None
        seen = ""
        while port is None:
            line = p.stdout.readline()
            if not line:
                raise RuntimeError("kansli serve did not start: " + seen)
            seen += line
            m = re.search(r"^port ([0-9]+)$" if floor else r"http://[0-9.]+:([0-9]+)/", line)
            if m:
                port = int(m.group(1))
        c = Client(port)
        for _ in range(600):
            try:
                c.call("GET", "/health")
                break
            except (ConnectionError, OSError):
                time.sleep(0.1)
                c = Client(port)
        ids = []
        if not floor:
            c.token = json.loads(c.call("POST", "/api/v1/session", json.dumps(
                {"username": "bench", "password": PASSWORD}), want=201))["token"]
            # The same warm-up in both runs: cases to read and to move on.
            ids = [json.loads(c.call("POST", "/api/v1/cases", CASE, want=201))["id"]
                   for _ in range(args.n + 10)]
            c.call("GET", f"/api/v1/cases/{ids[0]}")
            # The warm-up's search rows go into the indexes now (a search asks
            # for that), not in the writer's idle indexing while the counted
            # requests run (Store::awaitSearchIndex, session 6).
            c.call("GET", "/api/v1/cases?q=cykelbana&limit=1")
        anonymous = Client(port)  # /health as a load balancer (and wrk) asks: no token
        anonymous.call("GET", "/health")
        subprocess.run(["callgrind_control", "-i", "on", str(p.pid)], check=True,
                       capture_output=True)
        for i in range(n):
            if what in ("health", "floor"):
                anonymous.call("GET", "/health")
            elif what == "read":
                c.call("GET", f"/api/v1/cases/{ids[i % len(ids)]}")
            elif what == "register":
                c.call("POST", "/api/v1/cases", CASE, want=201)
            elif what == "transition":
                c.call("POST", f"/api/v1/cases/{ids[i]}/transitions",
                       json.dumps({"transition": "tilldela_enhet", "unit": "bfe"}),
                       {"If-Match": '"1"'})
            elif what == "search":
                c.call("GET", "/api/v1/cases?limit=50&q=cykelbana")
        if what == "register16":
            # 16 clients at once, so the writer takes them in batches (group
            # commit): what a registration costs when the load is on.
            def client(k):
                cc = Client(port)
                cc.token = c.token
                for _ in range(n // 16 + (1 if k < n % 16 else 0)):
                    cc.call("POST", "/api/v1/cases", CASE, want=201)
            threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        subprocess.run(["callgrind_control", "-i", "off", str(p.pid)], check=True,
                       capture_output=True)
        p.send_signal(signal.SIGTERM)
        p.communicate(timeout=600)
        # "totals:" counts what ran while instrumented ("summary:" is 0 when
        # the run ends with instrumentation off).
        with open(out_file, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("totals:"):
                    return int(line.split()[1])
        raise RuntimeError("no totals in " + out_file)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kansli", default=os.path.join(SOURCE, "build/bench/bin/kansli"))
    ap.add_argument("--floor", default=os.path.join(SOURCE, "build/bench/bin/kansli_poco_floor"))
    ap.add_argument("--data", default="")
    ap.add_argument("--what", default="health,read,register,transition")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--profile", default="")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py: valgrind is not installed (apt-get install valgrind)")
    tmp = tempfile.mkdtemp(prefix="kansli-ir-out-")
    # Counts do not depend on the load, but say what the machine was doing,
    # as every figure in bench/ does.
    print("load average before: %.2f %.2f %.2f" % os.getloadavg(), flush=True)
    try:
        for what in args.what.split(","):
            out = os.path.join(tmp, what + ".callgrind")
            ir = run(args, what, args.n, out)
            print(f"{what:>11}: {ir / args.n:12,.0f} instructions per request"
                  f"  ({ir:,} for {args.n})", flush=True)
            if args.profile:
                os.makedirs(args.profile, exist_ok=True)
                shutil.copy(out, os.path.join(args.profile, what + ".callgrind"))
        print("load average after: %.2f %.2f %.2f" % os.getloadavg(), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
