#!/usr/bin/env bash
# Failure labs 2-4: what the producer knows about one task: its status, attempts and worker.
# Usage: task-status.sh TASK_ID (an id that submit-tasks.sh printed)
set -euo pipefail
id=${1:?Give a task id, as submit-tasks.sh printed it.}
producer=${PRODUCER:-localhost:8082}

# tag::lab[]
curl -sS --fail-with-body "http://$producer/api/tasks/$id"
echo
# end::lab[]
