#!/usr/bin/env bash
# Failure lab 1: how many report tasks the workers have done: one file per task in the outbox.
# Usage: count-effects.sh. OUTBOX=folder counts another outbox than the workers' default (the tests use their own).
set -euo pipefail
# The default of tasks.outbox-dir: the course-tasks-outbox folder in Java's temp folder (java.io.tmpdir),
# which is /tmp on Linux and $TMPDIR on macOS.
if [ "$(uname)" = Darwin ]; then tmp=${TMPDIR%/}; else tmp=/tmp; fi
outbox=${OUTBOX:-$tmp/course-tasks-outbox}

# tag::lab[]
mkdir -p "$outbox/report"   # no report done yet: count 0, not an error
ls "$outbox/report" | wc -l | tr -d ' '
# end::lab[]
