"""Stage 3, costs: capacity and traffic turned into priced, auditable line items.

The line-item vocabulary, the narrow price-lookup protocol, purchase options, the
per-platform items (Fargate, EC2-backed), the items every platform shares, and the
estimate that sums them.
"""
