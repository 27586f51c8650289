"""Sums JFR CPU samples (`jfr print --events jdk.ExecutionSample` on stdin) by layer of the request path.

A sample belongs to the layer of its innermost frame outside the JDK (java.*, jdk.*, sun.* count for whoever called
them, except the JDK's crypto, which is the token check). Prints each layer's share and the hottest frames."""
import collections
import re
import sys

LAYERS = [  # (layer, class-name prefixes), first match wins
    ("security (token, roles)", ("io.quarkus.security", "io.quarkus.vertx.http.runtime.security",
                                 "org.flashsale.inventory.security", "com.sun.crypto", "sun.security", "javax.crypto")),
    ("JSON (Jackson)", ("com.fasterxml.jackson", "io.quarkus.resteasy.reactive.jackson",
                        "org.jboss.resteasy.reactive.server.jackson", "io.quarkus.jackson")),
    ("validation", ("org.hibernate.validator", "jakarta.validation", "io.quarkus.hibernate.validator")),
    ("metrics (Micrometer)", ("io.micrometer", "io.quarkus.micrometer")),
    ("PG client", ("io.vertx.pgclient", "io.vertx.sqlclient", "io.vertx.mutiny.sqlclient", "io.vertx.mutiny.pgclient")),
    ("REST layer (Quarkus REST)", ("org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive")),
    ("our code", ("org.flashsale",)),
    ("Mutiny", ("io.smallrye.mutiny",)),
    ("context propagation, CDI", ("io.smallrye.context", "io.quarkus.arc", "io.quarkus.smallrye.context")),
    ("logging", ("org.jboss.logging", "org.jboss.logmanager")),
    ("HTTP (Vert.x, Quarkus HTTP)", ("io.vertx.core.http", "io.vertx.ext.web", "io.quarkus.vertx.http",
                                     "io.vertx.core.net", "io.vertx.core.impl", "io.vertx.core")),
    ("Netty (I/O, buffers)", ("io.netty",)),
]
JDK = ("java.", "jdk.", "sun.", "com.sun.")

frame_pattern = re.compile(r"^\s+([\w.$]+)\.([\w$<>]+)\(")
samples = []
current = None
for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        current = []
        samples.append(current)
    elif current is not None:
        match = frame_pattern.match(line)
        if match:
            current.append(match.group(1) + "." + match.group(2))


def layer_of(stack):
    for frame in stack:  # innermost first
        for layer, prefixes in LAYERS:
            if frame.startswith(prefixes):
                return layer
        if not frame.startswith(JDK):
            return "other: " + ".".join(frame.split(".")[:3])
    return "JDK only (threads, GC helpers)"


layers = collections.Counter(layer_of(stack) for stack in samples if stack)
leaves = collections.Counter(stack[0] for stack in samples if stack)
total = sum(layers.values()) or 1
print(f"{total} CPU samples (JFR, settings=profile: one per ~10 ms of a running Java thread)")
for layer, count in layers.most_common():
    print(f"  {100 * count / total:5.1f}%  {layer}")
print("hottest frames (innermost):")
for frame, count in leaves.most_common(15):
    print(f"  {100 * count / total:5.1f}%  {frame}")
