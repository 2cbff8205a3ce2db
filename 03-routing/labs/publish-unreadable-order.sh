#!/usr/bin/env bash
# Failure lab 3: publish to shop.orders an order event the services cannot read, as the management UI's
# "Publish message" form does with its defaults (no properties, no body), then a valid order through the server.
# Usage: publish-unreadable-order.sh [PORT] [ORDER_ID], for example publish-unreadable-order.sh 8083 A-3001
# RABBITMQ_VIRTUAL_HOST, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_USERNAME and RABBITMQ_PASSWORD pick another
# broker than the local default (the tests use a vhost of their own).
set -euo pipefail
port=${1:-8083}
order=${2:-A-3001}
vhost=${RABBITMQ_VIRTUAL_HOST:-/}
api=http://localhost:${RABBITMQ_MANAGEMENT_PORT:-15672}/api
user=${RABBITMQ_USERNAME:-guest}:${RABBITMQ_PASSWORD:-guest}

# tag::lab[]
# order.eu.paid matches billing, shipping, eu-analytics and audit: each gets a copy it cannot read.
curl -sS --fail-with-body -u "$user" -X POST "$api/exchanges/${vhost//\//%2F}/shop.orders/publish" \
     -H 'Content-Type: application/json' -d '{
       "routing_key": "order.eu.paid", "properties": {}, "payload": "", "payload_encoding": "string"}'
echo
# A valid order right behind it, through the server: the same services must still serve it.
curl -sS -X POST "localhost:$port/api/orders/events" -H 'Content-Type: application/json' \
     -d '{"key":"order.eu.paid","orderId":"'"$order"'","amount":20.00}' -o /dev/null -w 'HTTP %{http_code}\n'
# end::lab[]
