#!/usr/bin/env bash
# Failure lab 2: subscribe a service whose selector has a typo; the server refuses it before subscribing.
# Usage: mistype-selector.sh [PORT], for example mistype-selector.sh 8083 (the run command's port)
# Only an operator may subscribe: the demo profile's operator (README, Run it), or OPERATOR_PASSWORD if set.
set -euo pipefail
port=${1:-8083}

# tag::lab[]
# ">>" is not an operator: the answer is 400 with the parser's reason, and nothing is subscribed.
curl -sS -X POST "localhost:$port/api/subscriptions" -u "operator:${OPERATOR_PASSWORD:-operator-demo-pass}" \
     -H 'Content-Type: application/json' -d '{"name":"typo","pattern":"order.#","selector":"amount >> 1000"}' -w '\nHTTP %{http_code}\n'
# end::lab[]
