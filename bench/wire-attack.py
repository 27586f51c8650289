#!/usr/bin/env python3
"""One host against the HTTP wire of inventory-service (issue 26, points 4 and 5), standard library only.

Usage: bench/wire-attack.py PORT SERVER_PID
  1. half-headers: from each of ADDRESSES source addresses (127.0.0.2, ...), open PER_ADDRESS connections that send an
     unfinished request header and then nothing; meanwhile a normal client (127.0.0.1) asks GET /api/products twice a
     second. Reports how many attack connections the server accepted and kept, and how many normal requests got an
     answer within 2 s.
  2. pipeline: 8 connections write ~1 M pipelined GET /api/products in 2 s without reading, then close; then 16 normal
     requests, one after the other, each given 5 s. Reports how many were answered, how long the server stayed busy
     (CPU) and its RSS before and after.
Environment: ADDRESSES (default 2), PER_ADDRESS (default 9990), HOLD_SECONDS (default 15).
"""
import os
import resource
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
SERVER_PID = int(sys.argv[2])
ADDRESSES = int(os.environ.get("ADDRESSES", "2"))
PER_ADDRESS = int(os.environ.get("PER_ADDRESS", "9990"))
HOLD_SECONDS = float(os.environ.get("HOLD_SECONDS", "15"))

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def normal_request(timeout):
    """GET /api/products from 127.0.0.1 on a new connection: True if a status line came back in time."""
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=timeout) as s:
            s.sendall(b"GET /api/products HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            return s.recv(12).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_mib():
    with open(f"/proc/{SERVER_PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def cpu_seconds():
    with open(f"/proc/{SERVER_PID}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_files():
    return len(os.listdir(f"/proc/{SERVER_PID}/fd"))


def half_headers():
    held = []
    refused = 0
    answered = asked = 0
    stop = threading.Event()

    def probe():
        nonlocal answered, asked
        while not stop.is_set():
            asked += 1
            answered += normal_request(2)
            time.sleep(0.5)

    prober = threading.Thread(target=probe)
    prober.start()
    start = time.time()
    for a in range(ADDRESSES):
        source = f"127.0.0.{2 + a}"
        for _ in range(PER_ADDRESS):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.bind((source, 0))
                s.connect(("127.0.0.1", PORT))
                s.send(b"GET /api/products HTTP/1.1\r\nHost: x\r\n")
                held.append(s)
            except OSError:
                refused += 1
                s.close()
    opened = time.time() - start
    peak_files = open_files()
    time.sleep(1)
    files_1s = open_files()
    time.sleep(max(0.0, HOLD_SECONDS - opened))
    # A connection the server has closed reads as end of stream (or a reset).
    still_open = 0
    for s in held:
        s.setblocking(False)
        try:
            s.recv(1)  # b"": closed by the server
        except BlockingIOError:
            still_open += 1
        except OSError:
            pass  # reset by the server
    files_after = open_files()
    stop.set()
    prober.join()
    for s in held:
        s.close()
    print(f"half-headers: {ADDRESSES} x {PER_ADDRESS} attempted in {opened:.1f} s, {len(held)} connected, "
          f"{refused} failed to connect; server files right after {peak_files}, a second later {files_1s}; "
          f"after {HOLD_SECONDS:.0f} s still open: {still_open} (server files then {files_after}); "
          f"normal requests answered within 2 s: {answered} of {asked}")


def pipeline():
    one = b"GET /api/products HTTP/1.1\r\nHost: localhost\r\n\r\n"
    per_connection = 1_000_000 // 8
    rss_before = rss_mib()
    cpu_before = cpu_seconds()
    written = [0] * 8

    def flood(i):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.settimeout(0.05)
        chunk = one * 1000
        deadline = time.time() + 2
        while written[i] < per_connection and time.time() < deadline:
            try:
                s.sendall(chunk)
                written[i] += 1000
            except (socket.timeout, OSError):
                pass
        s.close()

    floods = [threading.Thread(target=flood, args=(i,)) for i in range(8)]
    for f in floods:
        f.start()
    for f in floods:
        f.join()
    answered = sum(normal_request(5) for _ in range(16))
    # How long the server stays busy afterwards: until a second passes in which it uses under 0.1 s of CPU.
    settle_start = time.time()
    last = cpu_seconds()
    while True:
        time.sleep(1)
        now = cpu_seconds()
        if now - last < 0.1 or time.time() - settle_start > 120:
            break
        last = now
    print(f"pipeline: 8 connections wrote ~{sum(written):,} requests (at most, into socket buffers) in 2 s and closed; "
          f"normal requests answered within 5 s: {answered} of 16; server busy for ~{time.time() - settle_start:.0f} s "
          f"after them, {cpu_seconds() - cpu_before:.1f} s of CPU in all; RSS {rss_before} -> {rss_mib()} MiB")


half_headers()
time.sleep(2)
pipeline()
