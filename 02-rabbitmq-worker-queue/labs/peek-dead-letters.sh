#!/usr/bin/env bash
# Failure lab 3: the first task in tasks.dead, as the management UI's "Get messages" shows it, left in the queue.
# Usage: peek-dead-letters.sh. RABBITMQ_VIRTUAL_HOST, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_USERNAME and
# RABBITMQ_PASSWORD pick another broker than the local default (the tests use a vhost of their own).
set -euo pipefail
vhost=${RABBITMQ_VIRTUAL_HOST:-/}
management=localhost:${RABBITMQ_MANAGEMENT_PORT:-15672}
user=${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}

# tag::lab[]
# The management HTTP API's "get": ack_requeue_true puts the message back where it was.
curl -sS --fail-with-body -u "$user" -X POST "http://$management/api/queues/${vhost//\//%2F}/tasks.dead/get" \
     -H 'Content-Type: application/json' -d '{"count":1,"ackmode":"ack_requeue_true","encoding":"auto"}'
echo
# end::lab[]
