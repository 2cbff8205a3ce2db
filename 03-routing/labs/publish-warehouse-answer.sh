#!/usr/bin/env bash
# Failure lab 5: while the server is stopped, the warehouse (a plain AMQP service) answers a pick.
# The answer waits in the warehouse's durable queue until shipping is back. Uses the management HTTP API.
# Usage: publish-warehouse-answer.sh [ORDER_ID], for example publish-warehouse-answer.sh A-3001
# RABBITMQ_VIRTUAL_HOST, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_USERNAME and RABBITMQ_PASSWORD pick another
# broker than the local default (the tests use a vhost of their own).
set -euo pipefail
order=${1:-A-3001}
vhost=${RABBITMQ_VIRTUAL_HOST:-/}
api=http://localhost:${RABBITMQ_MANAGEMENT_PORT:-15672}/api
user=${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}

# tag::lab[]
# What outlives the server: every durable queue, one line each. The services' subscription queues
# (shop.orders.*) are here; the market subscribers' queues, which are not durable, are gone.
curl -sS --fail-with-body -u "$user" "$api/queues/${vhost//\//%2F}?columns=name,durable,messages" \
    | grep -o '{[^}]*}'
# The warehouse's answer, exactly as the warehouse itself publishes it (Warehouse.java): plain JSON,
# a content type, persistent, no JMS headers; to the default exchange, straight into its queue.
answer=$(curl -sS --fail-with-body -u "$user" -X POST "$api/exchanges/${vhost//\//%2F}/amq.default/publish" \
     -H 'Content-Type: application/json' -d '{
       "routing_key": "shop.warehouse.shipped",
       "properties": {"content_type": "application/json", "delivery_mode": 2},
       "payload": "{\"orderId\":\"'"$order"'\",\"region\":\"eu\",\"amount\":20.00}",
       "payload_encoding": "string"}')
echo "$answer"   # {"routed":true}: the queue has it
[ "$answer" = '{"routed":true}' ] || { echo "No queue shop.warehouse.shipped yet: start the server once first." >&2; exit 1; }
# end::lab[]
