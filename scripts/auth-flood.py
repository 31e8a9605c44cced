#!/usr/bin/env python3
"""Basic-auth flood against an exporter, with a scraper measuring what Prometheus would see.

Flooders (processes x threads, each from its own loopback address 127.0.0.<first+i>) send
wrong passwords over kept-alive connections for --seconds: the same wrong password
(--mode same) or a new one for every request (--mode new). Meanwhile one scraper from
127.0.0.1 GETs the URL with the right password every --interval seconds, as Prometheus
does, and its latencies are reported. Loopback only: the URL must be 127.0.0.1.

Prints one summary line, e.g.
  scrapes=40 ok=40 p50_ms=3.1 p95_ms=7.9 max_ms=12.0 flood_answers=123456 flood_per_s=12345.6
      flood_status={401: 123000, 429: 456} flood_errors=0
and exits 1 when a scrape was not a 200 (or --max-p50-ms / --max-p95-ms are exceeded).
"""
import argparse
import base64
import http.client
import multiprocessing
import ssl
import statistics
import sys
import threading
import time
import urllib.parse

import scrape_probe


def connection(url, cacert, source):
    parts = urllib.parse.urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise SystemExit("auth-flood: loopback only (the URL must be http(s)://127.0.0.1:port/...)")
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=cacert)
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=10, source_address=(source, 0), context=context)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10, source_address=(source, 0))


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def flood_thread(args, source, tag, deadline, counts, lock):
    path = urllib.parse.urlsplit(args.url).path or "/"
    local = {}
    errors = 0
    sent = 0
    conn = None
    while time.monotonic() < deadline:
        password = "wrong password" if args.mode == "same" else f"wrong-{tag}-{sent}"
        sent += 1
        try:
            if conn is None:
                conn = connection(args.url, args.cacert, source)
            conn.request("GET", path, headers={"Authorization": basic(args.user, password)})
            response = conn.getresponse()
            response.read()
            local[response.status] = local.get(response.status, 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors += 1
            if conn is not None:
                conn.close()
            conn = None
    with lock:
        for status, n in local.items():
            counts[status] = counts.get(status, 0) + n
        counts["errors"] = counts.get("errors", 0) + errors


def flood_process(args, index, start_at, queue):
    deadline = start_at + args.seconds
    while time.monotonic() < start_at:
        time.sleep(0.005)
    counts, lock, threads = {}, threading.Lock(), []
    for t in range(args.threads):
        number = args.first_address + index * args.threads + t
        source = f"127.0.0.{number}"
        thread = threading.Thread(
            target=flood_thread, args=(args, source, f"{index}.{t}", deadline, counts, lock))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    queue.put(counts)


def scrape_loop(args, start_at, results):
    path = urllib.parse.urlsplit(args.url).path or "/"
    header = {"Authorization": basic(args.user, args.password)}
    conn = None
    # As Go's client (Prometheus): a request that fails on a kept-alive connection before any
    # answer (the server closed it meanwhile) is retried once on a new connection.
    deadline = start_at + args.seconds
    tick = start_at
    while tick < deadline:
        now = time.monotonic()
        if tick > now:
            time.sleep(tick - now)
        status, millis, conn = scrape_probe.timed_get(conn, lambda: connection(args.url, args.cacert, "127.0.0.1"), path, header)
        results.append((status, millis))
        if args.new_connection and conn is not None:
            conn.close()
            conn = None
        tick += args.interval


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True, help="the right password (the scraper's)")
    parser.add_argument("--mode", choices=["same", "new"], default="same")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--first-address", type=int, default=10, help="flooders use 127.0.0.N and up")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--cacert")
    parser.add_argument(
        "--new-connection", action="store_true",
        help="the scraper opens a new connection per scrape (default: one kept alive, as Prometheus)")
    parser.add_argument("--max-p50-ms", type=float)
    parser.add_argument("--max-p95-ms", type=float)
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        raise SystemExit("auth-flood: --seconds must be 1..600")
    if args.first_address + args.processes * args.threads > 255:
        raise SystemExit("auth-flood: too many flooders for 127.0.0.0/24")

    # Warm-up: the scraper's credentials are verified once before the flood, as a running
    # Prometheus's would have been.
    warm = []
    scrape_loop(argparse.Namespace(**{**vars(args), "seconds": 0.5}), time.monotonic(), warm)

    start_at = time.monotonic() + 0.5
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=flood_process, args=(args, i, start_at, queue))
        for i in range(args.processes)
    ]
    for process in processes:
        process.start()
    results = []
    scrape_loop(args, start_at, results)
    totals = {}
    for _ in processes:
        for key, n in queue.get(timeout=args.seconds + 60).items():
            totals[key] = totals.get(key, 0) + n
    for process in processes:
        process.join()

    latencies = [ms for _, ms in results]
    ok = sum(1 for status, _ in results if status == 200)
    errors = totals.pop("errors", 0)
    answers = sum(totals.values())
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(
        f"mode={args.mode} scrapes={len(results)} ok={ok} p50_ms={p50:.1f} p95_ms={p95:.1f}"
        f" max_ms={max(latencies):.1f} flood_answers={answers}"
        f" flood_per_s={answers / args.seconds:.0f} flood_status={dict(sorted(totals.items()))}"
        f" flood_errors={errors}")
    bad = [status for status, _ in results if status != 200]
    failed = False
    if bad:
        print(f"auth-flood: {len(bad)} scrapes were not 200: {sorted(set(map(str, bad)))}", file=sys.stderr)
        failed = True
    if args.max_p50_ms is not None and p50 > args.max_p50_ms:
        print(f"auth-flood: p50 {p50:.1f} ms over {args.max_p50_ms} ms", file=sys.stderr)
        failed = True
    if args.max_p95_ms is not None and p95 > args.max_p95_ms:
        print(f"auth-flood: p95 {p95:.1f} ms over {args.max_p95_ms} ms", file=sys.stderr)
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
