#!/bin/bash
# A plan on the cores of one machine, or of several (add --sshloginfile nodes.txt to the parallel line), with
# GNU parallel: 4 shards, then `numen merge` (see README.md).
#   PLAN=models/plans/linear_msd.plan.yaml examples/cluster/parallel.sh
set -euo pipefail
: "${PLAN:?set PLAN to the plan file}"
mkdir -p parts
parallel --halt now,fail=1 numen characterize "$PLAN" --shard {}/4 -j 1 -q -o parts/part-{}.json ::: 1 2 3 4
numen merge parts/part-{1..4}.json -o results.json
