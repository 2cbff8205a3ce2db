#!/usr/bin/env bash
# Failure lab 2: kill -9 the Payara Micro process of one worker, found by the id it was started with.
# Usage: kill-worker.sh WORKER_ID, for example kill-worker.sh w1
set -euo pipefail
worker=${1:?Give the worker id, for example w1.}

# tag::lab[]
# Every worker is a java -jar payara-micro-*.jar process, so the jar's name cannot tell them apart;
# the id can: its JVM has -Dtasks.worker.id=w1 on its command line, before -jar. (The mvn that
# started it has the same option, but after all its other arguments, with no -jar: left alone.)
pids=$(pgrep -u "$(id -u)" -f "tasks[.]worker[.]id=$worker .*-jar " || true)
case $(echo "$pids" | wc -w | tr -d ' ') in
    0) echo "No running worker $worker: is it started, with -Dtasks.worker.id=$worker?" >&2; exit 1 ;;
    1) ;;
    *) echo "More than one process has -Dtasks.worker.id=$worker; kill the right one by hand: $pids" >&2; exit 1 ;;
esac
kill -9 "$pids"   # SIGKILL: no shutdown, no ack, no goodbye; the broker only sees the connection drop
echo "Killed worker $worker (process $pids)"
# end::lab[]
