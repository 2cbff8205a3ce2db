#!/usr/bin/env bash
# Failure lab 3: the same message is delivered twice.
# Publishes a second copy of a finished order's 'charge' command to the 'orders' exchange, as a
# producer that retried after a lost confirm would, through the management HTTP API.
# Usage: bash 04-combined/labs/deliver-twice.sh ORDER_ID CORRELATION_ID CUSTOMER ITEM [VHOST]
#   ORDER_ID and CORRELATION_ID: from the shop's log line " [x] Sent 'charge' order=… correlation=…"
#   CUSTOMER: the name you signed in with; ITEM: mug, lamp or poster; VHOST: the broker's vhost, default /
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "Usage: $0 ORDER_ID CORRELATION_ID CUSTOMER ITEM [VHOST]" >&2
    exit 2
fi
# tag::lab[]
order="$1" correlation="$2" customer="$3" item="$4" vhost="${5:-/}"
# The command exactly as the web tier sent it: the page's test card that pays is tok_visa.
command="{\"command\":\"charge\",\"orderId\":\"$order\",\"customer\":\"$customer\",\"item\":\"$item\",\"payment\":\"tok_visa\",\"correlationId\":\"$correlation\",\"choice\":\"\"}"
echo "Publishing to exchange orders, routing key charge: $command"
# The management API's publish: the command goes in as a string, so its quotes are escaped.
curl --fail --silent --show-error -u guest:guest -H 'content-type: application/json' \
    "http://localhost:15672/api/exchanges/${vhost//\//%2F}/orders/publish" \
    -d "{\"routing_key\":\"charge\",\"payload_encoding\":\"string\",\"payload\":\"${command//\"/\\\"}\",\"properties\":{\"delivery_mode\":2,\"correlation_id\":\"$correlation\"}}"
echo
# end::lab[]
