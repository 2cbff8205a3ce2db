#!/usr/bin/env bash
# The exercises' starting state: removes the reference solutions from this working copy, and the build output
# compiled from them, so the lesson code is all that is left. Run it from the course folder:
#   bash 03-routing/exercises/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."   # the module folder, wherever this is run from

# tag::start[]
rm -rf src/solution target   # target: classes built from the solutions would linger in the WAR
# end::start[]
echo "Exercises ready: the reference solutions are removed; get them back with: git checkout -- 03-routing/src/solution"
