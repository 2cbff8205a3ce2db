#!/usr/bin/env bash
# Failure labs 1-4: submits COUNT report tasks to the producer, one curl each, and prints each new task's id.
# Usage: submit-tasks.sh [COUNT] [SIMULATE], for example submit-tasks.sh 1 '{"workMs":20000}'
# PRODUCER=host:port talks to another producer than the one "Run it" starts (the tests start their own).
set -euo pipefail
count=${1:-1}
simulate=${2:-'{"workMs":50}'}
producer=${PRODUCER:-localhost:8082}

# tag::lab[]
for i in $(seq "$count"); do
    answer=$(curl -sS -X POST "http://$producer/api/tasks" -H 'Content-Type: application/json' \
                  -d '{"type":"report","orderId":"A-'"$i"'","simulate":'"$simulate"'}' -w ' %{http_code}')
    case $answer in
        *' 202') echo "$answer" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 ;;  # accepted: print its id
        *) echo "not accepted: $answer" >&2; exit 1 ;;                         # 400 or 503: the reason, and stop
    esac
done
# end::lab[]
