"""Placement: pack pod groups (EKS pods, ECS tasks) onto EC2 node shapes at minimum hourly cost.

Why this exists
---------------
An EC2-backed cluster is paid per node, not per request. What a workload costs on EKS or
ECS on EC2 therefore depends on how well its replicas fill the nodes, and on which
instance types are used: a memory-heavy service on compute-optimised nodes pays for idle
vCPUs. This package answers "how few dollars per hour of nodes can hold every replica?",
and says how close that answer is to a proven floor, so the advisor can show packing
waste as a line item instead of hiding it.

Model
-----
Each replica needs vCPU, memory and one pod/task slot; each node offers allocatable
vCPU, memory and slots (the caller subtracts kube-reserved, the ECS agent, DaemonSets and
ENI limits, see :mod:`advisor.capacity.nodes`). A replica fits a node when all three fit.
This is three-dimensional vector bin packing with priced bin types: NP-hard, so
:func:`place` is exact for small workloads and a heuristic with a proven lower bound
for the rest.

The steps, one module each (per CPU architecture; pods never cross architectures)
-------------------------------------------------------------------------------
1. :mod:`.model`: the values (pod groups, node shapes, placed nodes, the placement).
2. :mod:`.problem`: one architecture in exact integer units, dominated shapes dropped.
3. :mod:`.exact_packing` (over :mod:`.patterns`) and :mod:`.resolve`: small workloads solved exactly (dynamic
   programming over the replica counts of each distinct pod size); the answer is optimal,
   so the bound equals the cost and adding replicas can never lower it.
4. :mod:`.bounds`: for the rest, the largest of the covering LP, the group LP and the
   cheapest shape that holds the largest replica, each certified through its duals.
5. Candidate packings: :mod:`.first_fit` (the cheapest single-shape FFD),
   :mod:`.deal` (proportional deals onto node plans) and :mod:`.mix` (LP-guided mixes of
   compute, general and memory nodes).
6. :mod:`.repair`: eliminate, re-pack, downsize and merge nodes, kept only when cheaper;
   then :mod:`.resolve` re-solves a few nodes at a time exactly.
7. :mod:`.place`: the entry point; the cheapest candidate wins, ties go to fewer nodes,
   then to instance-type names.

References
----------
Gilmore, P. C. and Gomory, R. E. (1961), "A Linear Programming Approach to the
Cutting-Stock Problem", Operations Research 9(6) (the pattern recursion of the exact step).
Panigrahy, R. et al. (2011), "Heuristics for Vector Bin Packing", Microsoft Research
(why FFD alone wastes capacity when items are unbalanced across dimensions).
Karpenter (aws/karpenter-provider-aws) chooses the cheapest instance type that holds the
pending pods; :func:`place` generalises that to mixes and reports the LP gap.
"""

from __future__ import annotations

from advisor.capacity.placement.lp import load_solver
from advisor.capacity.placement.model import NodeShape, PlacedNode, Placement, PodGroup
from advisor.capacity.placement.place import place

__all__ = ["NodeShape", "PlacedNode", "Placement", "PodGroup", "load_solver", "place"]
