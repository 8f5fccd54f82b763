"""Stage 5, the decision: total cost of ownership per platform and the recommendation.

TCO puts the AWS bill (costs) and the engineer time (operations) side by side; the
recommendation ranks platforms, says why, how sure, and what would change it.
"""
