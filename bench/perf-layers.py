"""Sums a `perf report --no-children --sort comm,dso,sym --stdio` of a JVM (its JIT frames named by the JVM's perf
map) by where the CPU went: the kernel, the JIT compilers, the garbage collector, and the event loops' Java code by
layer (the innermost frame's package decides). Usage: perf report ... | python3 bench/perf-layers.py [cpu-us-per-op]
With a figure of CPU per operation (e.g. the service's µs per frame), each share is also printed in those units."""
import collections
import re
import sys

LINE = re.compile(r"^\s+([0-9.]+)%\s+(\S.{0,14}?)\s+(\[kernel\.kallsyms\]|\[JIT\] tid \d+|\S+)\s+\[(.)\]\s+(.*)$")
JAVA_LAYERS = [  # (layer, prefixes of the innermost frame's class), first match wins
    ("our code (org.flashsale)", ("org.flashsale",)),
    ("WebSockets Next, Mutiny", ("io.quarkus.websockets", "io.smallrye.mutiny")),
    ("Vert.x (HTTP, WebSocket, futures)", ("io.vertx",)),
    ("Netty (pipeline, encoder, buffers)", ("io.netty",)),
    ("Jackson", ("com.fasterxml",)),
    ("JDK collections and the rest", ("java.", "jdk.", "sun.")),
]


def layer(comm, dso, symbol):
    if comm.startswith("C2 Compiler") or comm.startswith("C1 Compiler"):
        return "JIT compiler threads"
    if comm.startswith(("G1 ", "GC Thread", "VM Thread")):
        return "garbage collector threads"
    if not comm.startswith("vert.x-eventlo"):
        return "other threads"
    if dso == "[kernel.kallsyms]":
        return "event loops: the kernel (socket writes and reads, epoll)"
    if dso.startswith("[JIT]"):
        name = re.sub(r"^\S+\s+", "", symbol)  # drop the return type
        for title, prefixes in JAVA_LAYERS:
            if name.startswith(prefixes):
                return "event loops: " + title
        return "event loops: Java, other (Quarkus, SmallRye, stubs)"
    return "event loops: the JVM's own code (libjvm, libc)"


shares = collections.Counter()
for line in sys.stdin:
    match = LINE.match(line)
    if match:
        percent, comm, dso, _, symbol = match.groups()
        shares[layer(comm.strip(), dso, symbol)] += float(percent)
per_op = float(sys.argv[1]) if len(sys.argv) > 1 else None
for name, percent in shares.most_common():
    figure = f"  {per_op * percent / 100:5.1f} us" if per_op else ""
    print(f"  {percent:5.1f}%{figure}  {name}")
