#!/usr/bin/env bash
# Failure lab 1: publish to shop.orders an event nobody subscribed to, as the management UI's
# "Publish message" form does (no properties, no body), through the management HTTP API.
# Usage: publish-unrouted.sh [ROUTING_KEY], for example publish-unrouted.sh refund.eu.issued
# RABBITMQ_VIRTUAL_HOST, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_USERNAME and RABBITMQ_PASSWORD pick another
# broker than the local default (the tests use a vhost of their own).
set -euo pipefail
key=${1:-refund.eu.issued}
vhost=${RABBITMQ_VIRTUAL_HOST:-/}
api=http://localhost:${RABBITMQ_MANAGEMENT_PORT:-15672}/api
user=${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}

# tag::lab[]
# No binding of shop.orders matches this key; the alternate exchange takes it to shop.orders.unrouted.
answer=$(curl -sS -u "$user" -X POST "$api/exchanges/${vhost//\//%2F}/shop.orders/publish" \
     -H 'Content-Type: application/json' -d '{
       "routing_key": "'"$key"'", "properties": {}, "payload": "", "payload_encoding": "string"}')
echo "$answer"   # {"routed":true}: routed to the alternate exchange's queue, not dropped
[ "$answer" = '{"routed":true}' ] || { echo "No exchange shop.orders yet: start the server once first." >&2; exit 1; }
# end::lab[]
