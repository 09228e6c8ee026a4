#!/usr/bin/env python3
"""bench/jfr-layers.py - where the CPU goes, by framework layer, from a JFR recording.

Reads the jdk.ExecutionSample events (`jfr print --json --stack-depth 1024`) and charges each sample to
the layer of its innermost non-JDK frame (JDK frames such as HashMap.get are charged to their caller:
the code that asked for them). Prints the share of samples per layer, then the top methods of each layer.
Record with deep stacks (bench/profile.sh does: -XX:FlightRecorderOptions=stackdepth=1024); JFR's
default of 64 frames cuts Spring MVC stacks short.

With --activities it also charges each sample to what the JVM was doing for it, from the innermost frame that
tells (class loading, static initialisers, reflection, lambdas and method handles), for start-up recordings
(bench/profile-startup.sh): there most of the time goes to such work, whichever library asked for it.

Usage: bench/jfr-layers.py [--activities] recording.jfr [jfr executable] [top methods per layer, default 5]
"""
import collections
import json
import subprocess
import sys

LAYERS = [
    ('io.github.visitorcounter.', 'app code'),
    ('com.fasterxml.jackson.', 'jackson'), ('tools.jackson.', 'jackson'),
    ('io.micrometer.', 'micrometer (metrics, observation)'),
    ('org.springframework.boot.micrometer.', 'micrometer (metrics, observation)'),
    ('org.springframework.web.filter.ServerHttpObservationFilter', 'micrometer (metrics, observation)'),
    ('io.lettuce.', 'lettuce'), ('io.netty.', 'netty'),
    ('org.springframework.data.redis.', 'spring data redis'),
    ('org.springframework.web.', 'spring mvc'), ('org.springframework.http.', 'spring mvc'),
    ('org.springframework.validation.', 'spring mvc'),
    ('org.springframework.core.', 'spring core/util/beans'), ('org.springframework.util.', 'spring core/util/beans'),
    ('org.springframework.beans.', 'spring core/util/beans'),
    ('org.springframework.', 'spring (other)'),
    ('org.apache.catalina.', 'tomcat'), ('org.apache.coyote.', 'tomcat'), ('org.apache.tomcat.', 'tomcat'),
    ('org.hibernate.validator.', 'bean validation'), ('jakarta.validation.', 'bean validation'),
    ('ch.qos.logback.', 'logging'), ('org.slf4j.', 'logging'), ('org.apache.commons.logging.', 'logging'),
]
JDK = ('java.', 'javax.', 'jdk.', 'sun.', 'com.sun.')
# (frame prefix, activity), checked from the innermost frame outwards up to the first library frame; the first
# match names the activity.
ACTIVITIES = [
    ('java.lang.ClassLoader.', 'class loading'), ('jdk.internal.loader.', 'class loading'),
    ('java.lang.Class.forName', 'class loading'), ('java.net.URLClassLoader.', 'class loading'),
    ('org.springframework.boot.loader.', 'class loading'), ('java.util.zip.', 'class loading'),
    ('java.util.jar.', 'class loading'),
    ('java.lang.invoke.', 'lambdas and method handles'), ('jdk.internal.reflect.', 'reflection'),
    ('java.lang.reflect.', 'reflection'), ('java.lang.Class.', 'reflection'),
    ('.<clinit>', 'static initialisers'),
]


def layer_of(frame):
    for prefix, layer in LAYERS:
        if frame.startswith(prefix):
            return layer
    return 'other: ' + frame.rsplit('.', 2)[0]


def activity_of(frames):
    # Only the JDK frames inside the innermost library frame (or that frame itself) say what the JVM does for
    # the library; a lambda or a class loader further out only called the code that is running.
    for frame in frames:
        for pattern, activity in ACTIVITIES:
            if frame.startswith(pattern) or (pattern.startswith('.') and frame.endswith(pattern)):
                return activity
        if not frame.startswith(JDK):
            return 'running code: ' + layer_of(frame)
    return 'running code: JDK only'


def main():
    args = sys.argv[1:]
    activities = '--activities' in args
    args = [a for a in args if a != '--activities']
    recording = args[0]
    jfr = args[1] if len(args) > 1 else 'jfr'
    top = int(args[2]) if len(args) > 2 else 5
    out = subprocess.run([jfr, 'print', '--json', '--stack-depth', '1024', '--events', 'jdk.ExecutionSample',
                          recording], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)['recording']['events']
    layers = collections.Counter()
    methods = collections.defaultdict(collections.Counter)
    by_activity = collections.Counter()
    for event in events:
        stack = event['values']['stackTrace']
        frames = [(f['method']['type']['name'] + '.' + f['method']['name']).replace('/', '.')
                  for f in (stack['frames'] if stack else [])]
        owner = next((f for f in frames if not f.startswith(JDK)), None)
        if owner is None:
            vthread = any('Continuation' in f or 'VirtualThread' in f or 'ForkJoin' in f for f in frames)
            layer = 'JDK only: virtual threads' if vthread else 'JDK only: other'
            owner = frames[0] if frames else '?'
        else:
            layer = layer_of(owner)
        layers[layer] += 1
        by_activity[activity_of(frames)] += 1
        methods[layer][owner] += 1
    total = len(events)
    print(f'samples={total}')
    for layer, count in layers.most_common():
        print(f'layer="{layer}" share_pct={100 * count / total:.1f}')
    for layer, _ in layers.most_common(8):
        for method, count in methods[layer].most_common(top):
            print(f'  {layer}: {100 * count / total:4.1f}% {method}')
    if activities:
        for activity, count in by_activity.most_common():
            print(f'activity="{activity}" share_pct={100 * count / total:.1f}')


if __name__ == '__main__':
    main()
