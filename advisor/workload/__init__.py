"""Stage 1, the workload: what runs, where, how it is bought, and the team that runs it.

The scenario (services, jobs, per-node agents, environments, traffic, purchase options,
operations inputs, assumption overrides), its YAML/JSON documents, units, and the scaling
of replicas per environment. Imports nothing else from ``advisor`` but :mod:`advisor.errors`.
"""
