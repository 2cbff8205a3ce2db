#!/usr/bin/env bash
# Failure lab 3: serves a page on another port than the chat's, so the page has another origin but the
# same site (ports do not count for a site). The port is the first argument; FailureLabsIT runs this
# script, from the course folder as the README says, with a free port of its own.
set -euo pipefail
port=$1
# tag::lab[]
# Any page will do: this one lists the labs folder. 127.0.0.1 only: nothing is served to the network.
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$(dirname "$0")"
# end::lab[]
