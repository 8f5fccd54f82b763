"""Stage 6, analysis: the decision re-run over changed inputs.

Named parameters and scenario variants, the evaluator every analysis shares, break-even
sweeps, sensitivity, Monte Carlo cost ranges and projections over months.
"""
